#!/usr/bin/env bash
# transcript.sh CASE.cmds — run a golden case with the `ipvsadm` found on PATH and print, for
# every step, the command, its stdout, its stderr and its exit status.
#
# Case format: one ipvsadm invocation per line, arguments only (shell quoting allowed);
# `#` lines and blank lines are comments; `(no arguments)` runs ipvsadm bare.  A step's stdin
# is /dev/null unless the line ends in `< FILE` (FILE relative to the case's directory) or
# `< -` (the previous step's stdout: `-S -n` then `-R < -` is a save/restore round trip).
set -u
case_file=$1
dir=$(dirname "$case_file")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: >"$work/prev"

while IFS= read -r line || [[ -n $line ]]; do
  [[ -z ${line//[[:space:]]/} || $line == \#* ]] && continue
  input=/dev/null
  if [[ $line == *' < '* ]]; then
    src=${line##* < }
    line=${line% < *}
    if [[ $src == - ]]; then cp "$work/prev" "$work/in"; input=$work/in; else input=$dir/$src; fi
  fi
  if [[ $line == '(no arguments)' ]]; then set --; else eval "set -- $line"; fi
  ipvsadm "$@" <"$input" >"$work/out" 2>"$work/err"
  rc=$?
  printf '### ipvsadm %s\n--- stdout\n' "$line"
  cat "$work/out"
  printf -- '--- stderr\n'
  cat "$work/err"
  printf -- '--- exit %d\n' "$rc"
  cp "$work/out" "$work/prev"
done <"$case_file"
