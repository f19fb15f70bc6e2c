# Storage target "vblade" (the stand-in until our own target serves the lab): one Debian
# vblade process per export and per AoE interface of the storage host, with O_DIRECT.
#
# Interface of every storage target (see providers.sh):
#   lab_target_serve   serve every export listed in $(lab_exports_file) on all segments;
#                      called again after an export is added
#   lab_target_stop    stop serving

lab_target_serve() {
  local name shelf slot image seg key
  while read -r name shelf slot image; do
    for seg in "${LAB_SEGMENTS[@]}"; do
      key=vblade-$(lab_etherd_name "$shelf" "$slot")-$(lab_host_if "$seg")
      lab_pid_alive "$key" > /dev/null && continue
      lab_exec "$LAB_STORAGE" vblade -d "$shelf" "$slot" "$(lab_host_if "$seg")" "$image" \
        > "$(lab_host_dir "$LAB_STORAGE")/$key.log" 2>&1 < /dev/null &
      lab_pid_record "$key" $!
    done
  done < "$(lab_exports_file)"
}

lab_target_stop() {
  local record
  for record in "$LAB_STATE"/pids/vblade-*; do
    [ -e "$record" ] && lab_pid_stop "${record##*/}"
  done
  return 0
}
