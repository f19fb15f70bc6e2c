# The inventory the orchestrator reads: $(lab_inventory_file), JSON (and so also YAML).
# libvirtUri is a unix socket URI, safe from any namespace on this machine; migrationUri is
# what a source libvirtd dials for a peer-to-peer migration and only works inside the lab;
# exec is the argv prefix that runs a command on the host (the lab's ssh).

lab_json_str() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
lab_json_argv() { local a out=; for a in "$@"; do out+="${out:+, }$(lab_json_str "$a")"; done; echo "[$out]"; }

lab_inventory_host() {   # HOST ROLE
  local host=$1 role=$2 seg sep=
  echo "    {"
  echo "      \"name\": $(lab_json_str "$host"),"
  echo "      \"role\": \"$role\","
  echo "      \"ip\": \"$(lab_host_ip "$host")\","
  echo "      \"netns\": \"$(lab_host_ns "$host")\","
  echo "      \"exec\": $(lab_json_argv $(lab_exec_prefix "$host") --),"
  if [ "$role" = hypervisor ]; then
    echo "      \"libvirtUri\": $(lab_json_str "$(lab_libvirt_uri "$host")"),"
    echo "      \"migrationUri\": $(lab_json_str "$(lab_migration_uri "$host")"),"
    echo "      \"hostUuid\": \"$(lab_host_uuid "$host")\","
  fi
  echo "      \"aoeInterfaces\": ["
  for seg in "${LAB_SEGMENTS[@]}"; do
    printf '%s        {"name": "%s", "mac": "%s"}' "$sep" "$(lab_host_if "$seg")" "$(lab_host_mac "$host" "$seg")"
    sep=$',\n'
  done
  printf '\n      ]\n    }'
}

lab_storage_macs() { local seg; for seg in "${LAB_SEGMENTS[@]}"; do echo "$(lab_host_mac "$LAB_STORAGE" "$seg")"; done | xargs; }

lab_inventory_write() {
  local host name shelf slot image sep='' file
  file=$(lab_inventory_file)
  {
    echo "{"
    echo "  \"lab\": \"$LAB_PREFIX\","
    echo "  \"subnet\": \"$LAB_SUBNET\","
    echo "  \"hosts\": ["
    lab_inventory_host "$LAB_STORAGE" storage
    for host in $(lab_hypervisors); do printf ',\n'; lab_inventory_host "$host" hypervisor; done
    printf '\n  ],\n'
    echo "  \"exports\": ["
    while read -r name shelf slot image; do
      # The export id is the guest's name; the target's config string says "id=<export id>".
      printf '%s    {"id": %s, "guest": %s, "shelf": %d, "slot": %d, "device": "/dev/etherd/%s", "sizeBytes": %d, "host": "%s", "targetMacs": ["%s"], "image": %s}' \
        "$sep" "$(lab_json_str "$name")" "$(lab_json_str "$name")" "$shelf" "$slot" "$(lab_etherd_name "$shelf" "$slot")" \
        "$(stat -c %s "$image")" "$LAB_STORAGE" "$(lab_storage_macs | sed 's/ /", "/g')" "$(lab_json_str "$image")"
      sep=$',\n'
    done < "$(lab_exports_file)"
    printf '\n  ]\n}\n'
  } > "$file.tmp"
  mv "$file.tmp" "$file"
}
