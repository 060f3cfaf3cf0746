#!/usr/bin/python3
"""Answers Kryphål review documents in LibreOffice itself, as a reviewer would.

Usage: review.py PLAN.json

PLAN = {"profile": DIR, "jobs": [{"input": DOCX, "output": DOCX, "operations": [...]}]}

Operations (a finding's comment is named by the start of its text, e.g. "Iakttagelse 3:"):
  {"action": "accept", "comment": PREFIX}   accept the tracked changes of the comment's clause
  {"action": "reject", "comment": PREFIX}   reject it
  {"action": "edit", "comment": PREFIX, "old": WORDS, "new": WORDS}
        accept the changes, then replace WORDS in the clause (change tracking off)
  {"action": "reply", "comment": PREFIX, "author": NAME, "text": TEXT, "date": "YYYY-MM-DDTHH:MM:SS"}
        a reply; LibreOffice 7.4 has no comment threads, so the reply is a comment anchored
        where its parent is (what LibreOffice's own Reply does); newer versions also get its
        parent's name (ParentName), when the property exists
  {"action": "note", "paragraph": TEXT, "author": NAME, "text": TEXT, "date": ...}
        a new comment on the paragraph that contains TEXT

LibreOffice runs headless with a private profile, connected over a pipe. The document is
loaded as a model without a view (XLoadable), because LibreOffice builds its comment windows
for every view and the Debian package libreoffice-writer-nogui has no files to build them
from. Accepting and rejecting are therefore done through the model: with change recording
off, the text of a deletion is removed (accept) or kept without its mark (reject), and the
text of an insertion kept without its mark (accept) or removed (reject); what LibreOffice
then writes is a file without revision marks, as after Accept or Reject in its window.

Needs the Debian package python3-uno (run with /usr/bin/python3).
"""
import json
import os
import subprocess
import sys
import time

try:
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.util import DateTime
except ImportError:
    sys.stderr.write("python3-uno is not installed: install the Debian package python3-uno (./dev.sh setup)\n")
    sys.exit(3)


def pv(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def start(profile):
    pipe = "kryphal-review-%d" % os.getpid()
    subprocess.run(["soffice", "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
                    "--headless", "--norestore", "--terminate_after_init"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    proc = subprocess.Popen(["soffice", "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
                             "--headless", "--norestore", "--nologo", "--nodefault",
                             "--accept=pipe,name=%s;urp;" % pipe],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            return proc, ctx
        except Exception:
            if proc.poll() is not None:
                raise SystemExit("LibreOffice stopped while starting (exit %s)" % proc.returncode)
            time.sleep(0.25)
    proc.kill()
    raise SystemExit("LibreOffice did not answer on its pipe")


def date(text):
    d = DateTime()
    if text:
        day, _, clock = text.partition("T")
        y, m, dd = (int(x) for x in day.split("-"))
        hh, mm, ss = (int(x) for x in (clock or "0:0:0").rstrip("Z").split(":"))
        d.Year, d.Month, d.Day, d.Hours, d.Minutes, d.Seconds = y, m, dd, hh, mm, ss
        d.IsUTC = True
    return d


class Doc:
    def __init__(self, ctx, path):
        self.doc = ctx.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", ctx)
        self.doc.load((pv("URL", uno.systemPathToFileUrl(os.path.abspath(path))),
                       pv("FilterName", "MS Word 2007 XML")))
        self.text = self.doc.getText()

    def annotations(self):
        out = []
        e = self.doc.getTextFields().createEnumeration()
        while e.hasMoreElements():
            f = e.nextElement()
            if f.supportsService("com.sun.star.text.textfield.Annotation"):
                out.append(f)
        return out

    def comment(self, prefix):
        hits = [a for a in self.annotations() if a.Content.startswith(prefix)]
        if len(hits) != 1:
            raise SystemExit("%d comments start with %r" % (len(hits), prefix))
        return hits[0]

    def span(self, anchor):
        c = self.text.createTextCursorByRange(anchor.getStart())
        c.gotoRange(anchor.getEnd(), True)
        return c

    def paragraph_of(self, prefix):
        """The whole paragraph the comment named by prefix starts in (an accepted
        insertion at the end of a clause may fall outside the comment's own range)."""
        c = self.text.createTextCursorByRange(self.comment(prefix).getAnchor().getStart())
        c.gotoStartOfParagraph(False)
        c.gotoEndOfParagraph(True)
        return c

    def redlines_in(self, anchor):
        out = []
        e = self.doc.getRedlines().createEnumeration()
        while e.hasMoreElements():
            r = e.nextElement()
            try:
                inside = (self.text.compareRegionStarts(anchor.getStart(), r.RedlineStart) >= 0
                          and self.text.compareRegionEnds(r.RedlineEnd, anchor.getEnd()) >= 0)
            except Exception:
                inside = False
            if inside:
                out.append(r)
        return out

    def settle(self, prefix, accept):
        """Accepts or rejects every revision in the paragraph of the comment named by prefix."""
        self.doc.RecordChanges = False
        for _ in range(1000):
            anchor = self.paragraph_of(prefix)
            todo = self.redlines_in(anchor)
            if not todo:
                return
            r = todo[0]
            c = self.text.createTextCursorByRange(r.RedlineStart)
            c.gotoRange(r.RedlineEnd, True)
            keep = (r.RedlineType == "Insert") == accept
            s = c.getString()
            c.setString("")
            if keep:
                c.setString(s)
        raise SystemExit("revisions under %r did not settle" % prefix)

    def edit(self, prefix, old, new):
        self.settle(prefix, True)
        para = self.paragraph_of(prefix)
        at = para.getString().find(old)
        if at < 0:
            raise SystemExit("%r is not in the clause of %r" % (old, prefix))
        c = self.text.createTextCursorByRange(para.getStart())
        c.goRight(at, False)
        c.goRight(len(old), True)
        c.setString(new)

    def add_comment(self, cursor, author, text, when, parent=None):
        a = self.doc.createInstance("com.sun.star.text.textfield.Annotation")
        a.Author = author
        a.Content = text
        a.DateTimeValue = date(when)
        if parent is not None:
            try:
                a.ParentName = parent.Name
            except Exception:
                pass  # LibreOffice 7.4: no threads
        self.text.insertTextContent(cursor, a, True)

    def reply(self, prefix, author, text, when):
        parent = self.comment(prefix)
        self.add_comment(self.span(parent.getAnchor()), author, text, when, parent)

    def note(self, needle, author, text, when):
        e = self.text.createEnumeration()
        while e.hasMoreElements():
            p = e.nextElement()
            if p.supportsService("com.sun.star.text.Paragraph") and needle in p.getString():
                self.add_comment(self.span(p), author, text, when)
                return
        raise SystemExit("no paragraph contains %r" % needle)

    def save(self, path):
        self.doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(path)),
                            (pv("FilterName", "MS Word 2007 XML"),))


def main():
    plan = json.load(open(sys.argv[1], encoding="utf-8"))
    proc, ctx = start(plan["profile"])
    try:
        for job in plan["jobs"]:
            doc = Doc(ctx, job["input"])
            for op in job["operations"]:
                kind = op["action"]
                if kind in ("accept", "reject"):
                    doc.settle(op["comment"], kind == "accept")
                elif kind == "edit":
                    doc.edit(op["comment"], op["old"], op["new"])
                elif kind == "reply":
                    doc.reply(op["comment"], op["author"], op["text"], op.get("date"))
                elif kind == "note":
                    doc.note(op["paragraph"], op["author"], op["text"], op.get("date"))
                else:
                    raise SystemExit("unknown action %r" % kind)
            doc.save(job["output"])
            print("wrote", job["output"], flush=True)
    finally:
        # Closing the model over the bridge can crash pyuno; LibreOffice is ours to stop.
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
