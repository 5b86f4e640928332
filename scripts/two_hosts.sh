# Two hosts on one machine, for Open MPI over TCP as a cluster runs it: two network
# namespaces joined by a veth pair (10.231.0.1 and .2), the second with its own host name,
# and an rsh agent for mpirun that enters it as ssh enters another machine. Needs root.
# Source it, then:
#   two_hosts_up DIR   makes them (DIR: a scratch directory for the agent and hostfile);
#                      returns non-zero where namespaces cannot be made
#   over_tcp CMD...    runs `mpirun -np 2 CMD...` from the first host, one process per host,
#                      Open MPI's TCP transport only
#   two_hosts_down     removes them and every process left in them
two_hosts_a=cnn$$a
two_hosts_b=cnn$$b

two_hosts_up() {
  local dir=$1 a=$two_hosts_a b=$two_hosts_b
  [ "$(id -u)" -eq 0 ] && command -v ip >/dev/null || return 1
  ip netns add "$a" 2>/dev/null && ip netns add "$b" 2>/dev/null || return 1
  ip link add "$a" type veth peer name "$b" && ip link set "$a" netns "$a" &&
    ip link set "$b" netns "$b" || return 1
  ip -n "$a" addr add 10.231.0.1/24 dev "$a" && ip -n "$b" addr add 10.231.0.2/24 dev "$b" || return 1
  for n in "$a" "$b"; do ip -n "$n" link set "$n" up && ip -n "$n" link set lo up || return 1; done
  # Not named ssh: Open MPI would pass it ssh's flags.
  cat >"$dir/rsh_agent" <<AGENT
#!/bin/sh
shift  # the host: there is one other
exec ip netns exec $b unshare --uts /bin/sh -c "hostname cnn-host-b; \$*"
AGENT
  chmod +x "$dir/rsh_agent"
  printf '10.231.0.1 slots=1\n10.231.0.2 slots=1\n' >"$dir/hosts"
  two_hosts_dir=$dir
}

over_tcp() {
  ip netns exec "$two_hosts_a" mpirun --hostfile "$two_hosts_dir/hosts" -np 2 \
    --mca plm_rsh_agent "$two_hosts_dir/rsh_agent" --mca btl tcp,self \
    --mca btl_tcp_if_include 10.231.0.0/24 --mca oob_tcp_if_include 10.231.0.0/24 "$@"
}

two_hosts_down() {
  local n
  for n in "$two_hosts_b" "$two_hosts_a"; do
    ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null
    ip netns del "$n" 2>/dev/null
  done
  return 0
}
