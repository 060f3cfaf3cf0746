// A long governing document for the outline's windowing and the open-time benchmark:
// `chapters` chapters of `perChapter` numbered paragraphs (2,000 clauses by default), written
// for these tests. The sentences vary so that screening finds some, not all, of them.

const SUBJECTS = [
  'Utföraren',
  'Leverantören',
  'Nämnden',
  'Förvaltningen',
  'Den enskilde',
  'Sökanden',
];
const DUTIES = [
  'ska redovisa utförd tid per insats varje månad',
  'ska spara underlag för ersättningen i minst tre år',
  'får anlita underleverantör efter nämndens skriftliga medgivande',
  'ska anmäla ändrade ägarförhållanden inom skälig tid',
  'ska kunna visa registerutdrag för personal som arbetar hos kunden',
  'följer upp avtalet vid ett möte per år',
  'kan i undantagsfall godta en kopia i stället för originalhandlingen',
  'ska lämna uppgifter om sin bemanning på begäran',
];
const TAILS = [
  '',
  ' Uppgifterna lämnas i kommunens e-tjänst.',
  ' Brister som inte rättas kan leda till vite.',
  ' Rutinen ska vara skriftlig och känd av all personal.',
];

/** The Markdown text and its clause count. */
export function largeDocument({ chapters = 40, perChapter = 50, title = 'Stort reglemente för prov' } = {}) {
  const lines = ['---', `title: ${title}`, 'doc_type: Reglemente', 'owner: Provnämnden', '---', '', `# ${title}`, ''];
  let n = 0;
  for (let ch = 1; ch <= chapters; ch++) {
    lines.push(`## ${ch} kap. Bestämmelser i del ${ch}`, '');
    for (let p = 1; p <= perChapter; p++) {
      const subject = SUBJECTS[(ch + p) % SUBJECTS.length];
      const duty = DUTIES[(ch * 7 + p * 3) % DUTIES.length];
      const tail = TAILS[(ch + p * 5) % TAILS.length];
      lines.push(`${p} § ${subject} ${duty}.${tail}`, '');
      n++;
    }
  }
  return { text: lines.join('\n'), clauses: n, rows: n + chapters };
}

/**
 * Clicks the document item `docId` and resolves, inside the page, once the outline of
 * `rows` rows and the first clause are painted (the frame after they are in the DOM).
 * Returns the milliseconds from the click.
 */
export async function timeOpen(browser, docId, rows) {
  return browser.execute(
    async (id, expectedRows) => {
      const t0 = performance.now();
      document.querySelector(`[data-testid="doc-item"][data-doc-id="${id}"]`).click();
      await new Promise((resolve, reject) => {
        const give = setTimeout(() => reject(new Error('the document did not open within 20 s')), 20_000);
        const check = () => {
          const outline = document.querySelector('[data-testid="outline"]');
          const label = document.querySelector('[data-testid="clause-label"]');
          if (outline?.getAttribute('data-rows') === String(expectedRows) && label?.textContent) {
            // One more frame: what is in the DOM is then painted.
            requestAnimationFrame(() => {
              clearTimeout(give);
              resolve();
            });
          } else {
            requestAnimationFrame(check);
          }
        };
        check();
      });
      return performance.now() - t0;
    },
    docId,
    rows,
  );
}
