#!/usr/bin/env bash
# Regenerates the search lexicon (crates/kryphal-search/lexicon/sv_SE.lex)
# from Debian's Swedish Hunspell dictionary:
#
#   apt-get install -y hunspell-sv-se      # /usr/share/hunspell/sv_SE.{aff,dic}
#   scripts/gen-lexicon.sh                  # rewrites the .lex, prints a summary
#   FORMS=/tmp/forms.tsv scripts/gen-lexicon.sh   # also every form as text
#
# The .lex file is committed; the program embeds it (KRYPHAL_LEXICON=<file>
# replaces it at run time). An index built with another lexicon is rebuilt.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${HUNSPELL_DIR:-/usr/share/hunspell}
aff=$dir/sv_SE.aff
dic=$dir/sv_SE.dic
for f in "$aff" "$dic"; do
  [[ -f $f ]] || { echo "missing $f: apt-get install hunspell-sv-se" >&2; exit 1; }
done
version=$(dpkg-query -W -f='${Version}' hunspell-sv-se 2>/dev/null || echo unknown)
source="hunspell-sv-se $version (LibreOffice dictionaries, sv_SE by Göran Andersson, LGPL-3); \
sv_SE.aff sha256 $(sha256sum "$aff" | cut -c1-64); sv_SE.dic sha256 $(sha256sum "$dic" | cut -c1-64)"
out=$root/crates/kryphal-search/lexicon/sv_SE.lex
# The example embeds the lexicon it replaces: an empty placeholder lets it
# compile the first time.
[[ -f $out ]] || : > "$out"
cd "$root"
cargo run --quiet -p kryphal-search --example build_lexicon -- \
  "$aff" "$dic" "$out.new" "$source" ${FORMS:+"$FORMS"}
mv "$out.new" "$out"
ls -l "$out"
