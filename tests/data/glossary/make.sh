#!/bin/sh
# Remakes the files of this folder (see README.md) from the real catalogs and
# glossaries of the tree it runs on, with sed, head and Translate Toolkit's
# csv2tbx from the venv. Run from the repository root:
#   sh tests/data/glossary/make.sh
# tbx-v3/ is written by hand (no tool here writes TBX v3) and stays as it is.
set -eu
OUT=tests/data/glossary
TT=.venv/bin
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# fr-mistakes: three mistakes a translator makes, in a copy of the French
# catalog, with the template and the glossary it is checked against:
#   what-is.summary  vertébroplastie misspelt without its accent
#   after.lie-flat   ciment (the glossary's term for cement) replaced by produit
#   who.guidance     NICE (not to be translated) spelt out in French
mkdir -p $OUT/fr-mistakes
cp locales/vertebroplasty.pot locales/fr/glossary.tbx $OUT/fr-mistakes/
sed -e 's/^"La vertébroplastie est un traitement/"La vertebroplastie est un traitement/' \
    -e 's/pendant que le ciment durcit/pendant que le produit durcit/' \
    -e 's/(celles du NICE)/(celles de l’Institut national)/' \
    locales/fr/LC_MESSAGES/vertebroplasty.po > $OUT/fr-mistakes/vertebroplasty.po

# ru-mistakes: in a copy of the Russian catalog:
#   benefits.sham     вертебропластику (the term, inflected) replaced by операцию
#   why.spine-figure  T12 typed with a Cyrillic Т, which looks the same
mkdir -p $OUT/ru-mistakes
cp locales/vertebroplasty.pot locales/ru/glossary.tbx $OUT/ru-mistakes/
sed -e 's/исследованиях вертебропластику сравнивали/исследованиях операцию сравнивали/' \
    -e 's/^" до T12\. Они/" до Т12. Они/' \
    locales/ru/LC_MESSAGES/vertebroplasty.po > $OUT/ru-mistakes/vertebroplasty.po

# Broken glossaries, each a glossary.tbx for French.
FR=locales/fr/glossary.tbx
# truncated: a copy cut short (a failed upload, a full disk).
mkdir -p $OUT/truncated
head -c 3000 $FR > $OUT/truncated/glossary.tbx
# csv2tbx-xx: an agency's spreadsheet through Translate Toolkit's csv2tbx,
# which writes the translations as xml:lang="xx".
mkdir -p $OUT/csv2tbx-xx
printf 'source,target\nvertebroplasty,vertébroplastie\n"bone cement",ciment osseux\n' \
  > "$WORK/agency.csv"
$TT/csv2tbx --progress=none "$WORK/agency.csv" $OUT/csv2tbx-xx/glossary.tbx
# no-english: the English <langSet> of the first entry given the French code.
mkdir -p $OUT/no-english
sed '0,/<langSet xml:lang="en">/s//<langSet xml:lang="fr">/' $FR > $OUT/no-english/glossary.tbx
# no-lang: the first French <langSet> without its xml:lang.
mkdir -p $OUT/no-lang
sed '0,/<langSet xml:lang="fr">/s//<langSet>/' $FR > $OUT/no-lang/glossary.tbx
# duplicate-term: the entry for needle edited to say bone, which has its own.
mkdir -p $OUT/duplicate-term
sed 's|<term>needle</term>|<term>bone</term>|' $FR > $OUT/duplicate-term/glossary.tbx
# keep-translated: NICE, marked not to be translated, given a French term.
mkdir -p $OUT/keep-translated
sed 's|<term>NICE</term>|&</tig></langSet><langSet xml:lang="fr"><tig><term>Institut national</term>|' \
  $FR > $OUT/keep-translated/glossary.tbx
# fr-other-term: the French glossary changed after the translation: cement is
# now "colle", which the real catalog never writes.
mkdir -p $OUT/fr-other-term
sed 's|<term>ciment</term>|<term>colle</term>|' $FR > $OUT/fr-other-term/glossary.tbx
