#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the tests that submit
# synfin as a job array (and for trying the README's Slurm lines on a
# laptop): `sudo bash .ci/slurm.sh start`, then `sbatch …`, then
# `sudo bash .ci/slurm.sh stop`. Installs Debian's slurm-wlm and munge when
# missing. Everything it writes lives under /tmp/synfin-slurm; the daemons
# run as root without cgroups (proctrack/linuxproc, task/none), which a
# container allows.
set -euo pipefail
dir=/tmp/synfin-slurm
conf=$dir/slurm.conf

start() {
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
  fi
  mkdir -p $dir/state $dir/spool /etc/munge /var/log/munge /run/munge /etc/slurm
  # munge: a key of its own, and its daemon.
  if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown -R munge:munge /etc/munge /var/log/munge /run/munge 2>/dev/null || true
  chmod 0700 /etc/munge; chmod 0400 /etc/munge/munge.key
  pgrep -x munged >/dev/null || munged --force
  # slurm.conf: this machine as the controller and the only node, with
  # the CPUs and memory slurmd finds.
  host=$(hostname -s)
  node=$(slurmd -C | head -1 | sed 's/ UpTime.*//')
  cat > $conf <<EOF
ClusterName=synfin
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
$node State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  ln -sf $conf /etc/slurm/slurm.conf
  pgrep -x slurmctld >/dev/null || slurmctld -f $conf
  pgrep -x slurmd >/dev/null || slurmd -f $conf
  # Ready when the node takes jobs.
  for _ in $(seq 1 30); do
    if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
      echo "slurm: $(sinfo -h -o '%P %D %T %c')"
      return 0
    fi
    sleep 1
  done
  echo "slurm: the node did not come up; see $dir/slurmctld.log and $dir/slurmd.log" >&2
  return 1
}

stop() {
  pkill -x slurmd 2>/dev/null || true
  pkill -x slurmctld 2>/dev/null || true
  pkill -x munged 2>/dev/null || true
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
