#!/bin/sh
# Remakes tmx/ with the real tools (see README.md), from the catalogs of
# project/ and agency/ as they are. Run from the repository root:
#   sh tests/data/memory/make.sh
# Translate Toolkit's po2tmx from the venv.
set -eu
OUT=tests/data/memory/tmx
TT=.venv/bin
P=tests/data/memory/project/locales
mkdir -p $OUT

# po2tmx-fr.tmx: the French catalog of the first leaflet as Translate Toolkit
# writes a memory: one unit per pair, the id as x-context, no tuid, fuzzy
# entries left out.
$TT/po2tmx --progress=none -l fr $P/fr/LC_MESSAGES/first.po $OUT/po2tmx-fr.tmx

# agency-pt-br.tmx: an agency's Brazilian Portuguese of the second leaflet,
# with the language in lower case (pt-br) as some tools write it.
$TT/po2tmx --progress=none -l pt-br tests/data/memory/agency/second.pt_BR.po \
  $OUT/agency-pt-br.tmx

# unconfigured-it.tmx: a memory into Italian, a language the project lacks
# (the French text, labelled Italian: only the language matters).
$TT/po2tmx --progress=none -l it $P/fr/LC_MESSAGES/first.po $OUT/unconfigured-it.tmx

# source-de.tmx: the same catalog as a memory from German (--source-language
# de): a memory whose source is not English.
$TT/po2tmx --progress=none --source-language=de -l fr $P/fr/LC_MESSAGES/first.po \
  $OUT/source-de.tmx

# truncated.tmx: po2tmx-fr.tmx cut short in the middle of a unit, as an
# interrupted download or e-mail leaves it.
head -c 900 $OUT/po2tmx-fr.tmx > $OUT/truncated.tmx

# tbx-as-tmx.tmx: a file of another format named as a memory: the project's
# French glossary (TBX), as a user might give the wrong file.
cp locales/fr/glossary.tbx $OUT/tbx-as-tmx.tmx
