#!/usr/bin/env bash
# Watchdog: when the owner process is gone (even killed with SIGKILL), stop the given processes,
# so a crashed test run never leaves a control plane behind.
owner="$1"; shift
while kill -0 "$owner" 2>/dev/null; do sleep 0.5; done
kill -TERM "$@" 2>/dev/null
for _ in 1 2 3 4 5 6 7 8 9 10; do
  alive=0; for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
  [ $alive = 0 ] && exit 0
  sleep 0.5
done
kill -KILL "$@" 2>/dev/null
exit 0
