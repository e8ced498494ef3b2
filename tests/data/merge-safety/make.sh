#!/bin/sh
# Remakes the files of this folder with the real tools (see README.md).
# Run from the repository root. GNU gettext (msgmerge, msgcat), iconv, ICU's
# uconv; Translate Toolkit's po2xliff and xliff2po from the venv.
#   sh tests/data/merge-safety/make.sh        everything but demo/, from the
#       French catalogs of the tree it runs on (the files here: commit 4525613)
#   sh tests/data/merge-safety/make.sh demo   demo/ only, from the test project
#       as it is (remake it when tests/data/project changes)
set -eu
OUT=tests/data/merge-safety
TT=.venv/bin
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FR=locales/fr/LC_MESSAGES

if [ "${1:-}" = demo ]; then
  # demo: the test project's French catalog through the same tools, for the
  # tests that run the leaflet commands on that project.
  mkdir -p $OUT/demo
  DEMO=tests/data/project/locales/fr/LC_MESSAGES/demo.po
  $TT/po2xliff --progress=none $DEMO "$WORK/demo.xlf"
  $TT/xliff2po --progress=none "$WORK/demo.xlf" $OUT/demo/xliff-round-trip.po
  msgcat --no-wrap -o $OUT/demo/msgcat-no-wrap.po $DEMO
  uconv -f UTF-8 -t UTF-8 --add-signature -o $OUT/demo/utf8-bom.po $DEMO
  exit 0
fi

# real-fr: the French catalogs and their templates, as they are.
mkdir -p $OUT/real-fr
cp locales/vertebroplasty.pot locales/ui.pot $FR/vertebroplasty.po $FR/ui.po $OUT/real-fr/

# xliff-round-trip: what an agency sends back (Translate Toolkit, no options).
mkdir -p $OUT/xliff-round-trip
for d in vertebroplasty ui; do
  $TT/po2xliff --progress=none $FR/$d.po "$WORK/$d.xlf"
  $TT/xliff2po --progress=none "$WORK/$d.xlf" $OUT/xliff-round-trip/$d.po
done

# msgmerge-rewritten: the English of one block rewritten (what-is.small), one
# reworded a little (why.causes-intro) and a new block after after.home, then
# Weblate's update: msgmerge --previous of the catalog with the new template.
cp -r content templates leaflet.toml "$WORK/"
mkdir -p "$WORK/locales"
perl -0pi -e 's/It does not need a large cut\. The doctor works through a small opening in\nthe skin\./No big operation is needed: only a tiny hole is made, so you heal quickly./;
  s/Common causes are:/Common causes are these:/;
  s/(Most people go home on the same day\.\n)/$1\n{#after.home-late cite=a}\nSome people go home on the next day.\n/' \
  "$WORK/content/vertebroplasty/leaflet.md"
(cd "$WORK" && SOURCE_DATE_EPOCH=1767225600 "$OLDPWD/$TT/leaflet" extract >/dev/null)
mkdir -p $OUT/msgmerge-rewritten
cp "$WORK/locales/vertebroplasty.pot" $OUT/msgmerge-rewritten/
msgmerge --quiet --previous -o $OUT/msgmerge-rewritten/vertebroplasty.po \
  $FR/vertebroplasty.po $OUT/msgmerge-rewritten/vertebroplasty.pot

# msgcat-duplicate-id: the catalog before and after that update concatenated
# (as 'msgcat ours theirs' resolving a version-control conflict).
mkdir -p $OUT/msgcat-duplicate-id
msgcat -o $OUT/msgcat-duplicate-id/vertebroplasty.po \
  $FR/vertebroplasty.po $OUT/msgmerge-rewritten/vertebroplasty.po

# xliff-then-reworded: the template after what-is.small was rewritten and the
# audience of source b changed, for the catalog of xliff-round-trip.
cp -r content "$WORK/content2"
rm -rf "$WORK/content" && mv "$WORK/content2" "$WORK/content"
perl -0pi -e 's/It does not need a large cut\. The doctor works through a small opening in\nthe skin\./No big operation is needed: only a tiny hole is made, so you heal quickly./' \
  "$WORK/content/vertebroplasty/leaflet.md"
perl -0pi -e 's/(\[b\][^\[]*?audience = ")patients"/$1patients and carers"/s' \
  "$WORK/content/vertebroplasty/sources.toml"
(cd "$WORK" && SOURCE_DATE_EPOCH=1767225600 "$OLDPWD/$TT/leaflet" extract >/dev/null)
mkdir -p $OUT/xliff-then-reworded
cp "$WORK/locales/vertebroplasty.pot" $OUT/xliff-then-reworded/

# xliff-round-trip-obsolete: a list item removed from the English
# (why.cause-injury), leaflet update (its translation goes to #~), then the
# XLIFF round trip, which makes that #~ entry an active one without its id.
mkdir -p "$WORK/p3/locales" $OUT/xliff-round-trip-obsolete
cp -r content templates leaflet.toml "$WORK/p3/"
cp -r locales/fr locales/*.pot "$WORK/p3/locales/"
perl -0pi -e 's/- \{#why\.cause-injury[^\n]*\n//' "$WORK/p3/content/vertebroplasty/leaflet.md"
(cd "$WORK/p3" && SOURCE_DATE_EPOCH=1767225600 "$OLDPWD/$TT/leaflet" update -l fr >/dev/null)
cp "$WORK/p3/locales/vertebroplasty.pot" $OUT/xliff-round-trip-obsolete/
$TT/po2xliff --progress=none "$WORK/p3/$FR/vertebroplasty.po" "$WORK/p3.xlf"
$TT/xliff2po --progress=none "$WORK/p3.xlf" $OUT/xliff-round-trip-obsolete/vertebroplasty.po

# Encodings and line endings, of ui.po (the smallest real catalog).
mkdir -p $OUT/utf8-bom $OUT/utf-16 $OUT/utf-16le $OUT/utf-32 $OUT/crlf $OUT/msgcat-no-wrap
uconv -f UTF-8 -t UTF-8 --add-signature -o $OUT/utf8-bom/ui.po $FR/ui.po
iconv -f UTF-8 -t UTF-16 -o $OUT/utf-16/ui.po $FR/ui.po
iconv -f UTF-8 -t UTF-16LE -o $OUT/utf-16le/ui.po $FR/ui.po
iconv -f UTF-8 -t UTF-32 -o $OUT/utf-32/ui.po $FR/ui.po
sed 's/$/\r/' $FR/ui.po > $OUT/crlf/ui.po
msgcat --no-wrap -o $OUT/msgcat-no-wrap/vertebroplasty.po $FR/vertebroplasty.po
