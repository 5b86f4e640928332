# Shared by the end-to-end scripts (source it after setting `work`, a scratch directory):
# checks that count themselves and report every failure, and the closing tally.
failures=0
checks=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
check() {  # description, command...: the command must succeed
  local what=$1; shift
  checks=$((checks + 1))
  "$@" >"$work/out" 2>"$work/err" || { fail "$what"; cat "$work/out" "$work/err"; }
}
expect_error() {  # description, phrase, command...: it must fail, saying the phrase on stderr
  local what=$1 phrase=$2; shift 2
  checks=$((checks + 1))
  if "$@" >"$work/out" 2>"$work/err"; then fail "$what: exited 0"; return; fi
  grep -q -- "$phrase" "$work/err" || { fail "$what: stderr lacks '$phrase'"; cat "$work/err"; return; }
  # A crash, not a refusal (an MPI_ABORT after a clear message is a refusal).
  if grep -q "Segmentation fault\|Aborted\|terminate called\|runtime error:" "$work/err"; then
    fail "$what: crashed"
  fi
}
holds() {  # description, command...: a condition on what the last check left in $work
  local what=$1; shift
  checks=$((checks + 1))
  "$@" >/dev/null 2>&1 || fail "$what"
}
tally() {  # the last command of a script: its exit status
  echo "$(( checks - failures )) passed, $failures failed"
  [ "$failures" -eq 0 ]
}
