#!/bin/sh
# Remakes the XLIFF files of this folder with the real tools (see README.md),
# from the test project (tests/data/project) as it is: run it from the
# repository root whenever that project's English or French changes.
# Needs the venv (leaflet, Translate Toolkit's storage classes and po2xliff),
# GNU sed, iconv and head.
set -eu
OUT=tests/data/xliff
VENV=.venv/bin
PROJECT=tests/data/project
EXPORT=$OUT/export/fr.xlf

# export: what 'leaflet export' writes for the agency.
mkdir -p $OUT/export
$VENV/leaflet --project $PROJECT export -l fr -o $EXPORT >/dev/null

case_dir() { mkdir -p "$OUT/$1"; echo "$OUT/$1/${2:-fr}.xlf"; }

# A translation tool's library re-saves the file: Translate Toolkit (as
# Weblate, Pootle and Virtaal use it) with one target retyped, one source
# "corrected" by the agency, one target emptied.
tt() {   # tt OUT ID WHAT TEXT: set the unit's target or source with Translate Toolkit
  $VENV/python - "$EXPORT" "$@" <<'PY'
import sys
from translate.storage import xliff
src, out, ident, what, text = sys.argv[1:]
store = xliff.xlifffile.parsestring(open(src, "rb").read())
[unit] = [u for u in store.units if u.getid().endswith("\x04" + ident)]
setattr(unit, what, text)
open(out, "wb").write(bytes(store))
PY
}
tt "$(case_dir tt-target-changed)" what.item-a target "Buvez beaucoup d'eau."
tt "$(case_dir tt-source-changed)" what.item-b source "Rest at home for one day."
tt "$(case_dir tt-target-emptied)" what.item-a target ""

# A translator's edits by hand (GNU sed on the export): the placeholder's code
# deleted from one target; the text inside a code changed; a unit id changed;
# the target language changed.
sed 's|Appelez le <ph id="1" ctype="x-placeholder">{phone}</ph> si|Appelez-nous si|' \
  $EXPORT > "$(case_dir target-lost-code)"
sed 's|Appelez le <ph id="1" ctype="x-placeholder">{phone}</ph>|Appelez le <ph id="1" ctype="x-placeholder">{telephone}</ph>|' \
  $EXPORT > "$(case_dir target-code-edited)"
sed 's|<trans-unit id="what.item-b" resname="what.item-b"|<trans-unit id="what.item-c" resname="what.item-c"|' \
  $EXPORT > "$(case_dir unknown-id)"
sed '0,/target-language="fr"/s//target-language="de"/' $EXPORT > "$(case_dir wrong-language)"
sed 's|locales/fr/|locales/ro/|; s|target-language="fr"|target-language="ro"|g' \
  $EXPORT > "$(case_dir unknown-locale ro)"
sed 's|locales/fr/LC_MESSAGES/demo.po|locales/fr/LC_MESSAGES/other.po|' \
  $EXPORT > "$(case_dir unknown-leaflet)"
head -c 2000 $EXPORT > "$(case_dir truncated)"

# What a CAT tool's save does to the layout (memoQ, Trados and Okapi differ in
# each of these, none changes a text): elements in a prefixed namespace, the
# tool's own namespace and attributes, <seg-source> and <mrk mtype="seg">
# segments, xml:space dropped and the text re-wrapped over lines, every
# element re-indented with tabs; then saved as UTF-16 with CRLF line ends.
$VENV/python - "$EXPORT" <<'PY' > "$OUT/cat-tool-layout.tmp"
import copy, sys
from lxml import etree
NS = "urn:oasis:names:tc:xliff:document:1.2"
root = etree.parse(sys.argv[1]).getroot()
out = etree.Element(f"{{{NS}}}xliff", nsmap={"x": NS, "mq": "MQXliff"}, version="1.2")
def clone(src, dst):
    for k, v in src.attrib.items():
        if not k.startswith("{http://www.w3.org/XML/1998/namespace}"):
            dst.set(k, v)
    dst.text, dst.tail = src.text, src.tail
    for child in src:
        clone(child, etree.SubElement(dst, child.tag))
for f in root:
    clone(f, etree.SubElement(out, f.tag))
for unit in out.iter(f"{{{NS}}}trans-unit"):
    unit.set("{MQXliff}status", "ManuallyConfirmed")
    source, target = unit.find(f"{{{NS}}}source"), unit.find(f"{{{NS}}}target")
    seg = etree.Element(f"{{{NS}}}seg-source")
    mrk = etree.SubElement(seg, f"{{{NS}}}mrk", mtype="seg", mid="1")
    mrk.text, mrk[:] = source.text, [copy.deepcopy(c) for c in source]
    source.addnext(seg)
    mrk = etree.Element(f"{{{NS}}}mrk", mtype="seg", mid="1")
    mrk.text, mrk[:] = target.text, list(target)
    target.text = None
    target.append(mrk)
    if mrk.text and len(mrk.text) > 30:   # re-wrapped: a line break where a space was
        cut = mrk.text.rfind(" ", 0, 30)
        mrk.text = mrk.text[:cut] + "\n\t\t\t\t" + mrk.text[cut + 1:]
etree.indent(out, space="\t")
sys.stdout.write(etree.tostring(out, xml_declaration=True, encoding="UTF-8").decode())
PY
sed 's/$/\r/' "$OUT/cat-tool-layout.tmp" | sed 's/encoding=.UTF-8./encoding="UTF-16"/' \
  | iconv -f UTF-8 -t UTF-16 > "$(case_dir cat-tool-layout)"
rm "$OUT/cat-tool-layout.tmp"

# Translate Toolkit's po2xliff, the workaround the project had: numbered
# units (every id lost), the catalog's path as given; and of a catalog with
# plural forms, its <group restype="x-gettext-plurals">.
$VENV/po2xliff --progress=none $PROJECT/locales/fr/LC_MESSAGES/demo.po "$(case_dir po2xliff)"
$VENV/po2xliff --progress=none tests/data/plurals/bad-fr-plural-entries-three-forms.po \
  "$(case_dir po2xliff-plurals)"
