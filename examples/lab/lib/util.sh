# Small helpers: messages, waiting, and processes recorded by PID.

lab_log() { echo "lab: $*" >&2; }
lab_die() { echo "lab: error: $*" >&2; exit 1; }
lab_now() { date +%s.%N; }
lab_since() { awk -v a="$1" -v b="$(lab_now)" 'BEGIN { printf "%.1f", b - a }'; }

# lab_wait_for SECONDS DESCRIPTION CMD...: poll CMD every 0.1 s until it succeeds.
lab_wait_for() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    ((SECONDS < deadline)) || { lab_log "timed out after ${limit}s waiting for $what"; return 1; }
    sleep 0.1
  done
}

# A PID alone can be reused by an unrelated process after a crash or a reboot, so each
# record also keeps the process's start time (field 22 of /proc/PID/stat), and a record
# only counts while both still match.
lab_pid_starttime() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }                  # the command name may hold spaces: cut after it
  set -- $stat                       # $1 is the state, $20 the start time
  echo "${20}"
}
lab_pid_record() {  # NAME PID
  mkdir -p "$LAB_STATE/pids"
  echo "$2 $(lab_pid_starttime "$2")" > "$LAB_STATE/pids/$1"
}
lab_pid_alive() {   # NAME -> prints the PID if the recorded process still runs
  local pid start
  read -r pid start 2>/dev/null < "$LAB_STATE/pids/$1" || return 1
  [ -n "$pid" ] && [ "$(lab_pid_starttime "$pid")" = "$start" ] && ! lab_pid_gone "$pid" && echo "$pid"
}
lab_pid_stop() {    # NAME [SECONDS]: TERM, wait (default 5 s), then KILL; forgets the record
  local pid
  if pid=$(lab_pid_alive "$1"); then
    kill "$pid" 2>/dev/null
    lab_wait_for "${2:-5}" "${1} (pid $pid) to exit" lab_pid_gone "$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$LAB_STATE/pids/$1"
}
# Gone, or a zombie: PID 1 on some machines (containers, sandboxes) never reaps orphans.
lab_pid_gone() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }
  [ "${stat%% *}" = Z ]
}
