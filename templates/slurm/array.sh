#!/bin/sh
# {{generated}}: the {{nstale}} runs not up to date
# as a job array of {{ntasks}} tasks; task K builds the outcome stamps of runs K+1,
# K+1+{{ntasks}}, ... of the list below through the one build graph (ninja), so
# incrementality, logs and the ledger are those of any build. The report is built by
# the next ninja: runja-gen --slurm-submit --array submits it as a job after the array.
#SBATCH --job-name=runja
#SBATCH --array=0-{{last}}
#SBATCH --chdir={{sbatchdir}}
#SBATCH --output={{log}}{{sbatch}}
cd {{dir}} || exit 1
sed -n "$((${SLURM_ARRAY_TASK_ID:-0} + 1))~{{ntasks}}p" <<'RUNJA-RUNS' | tr '\n' '\0' | xargs -0 -r ninja -j "${SLURM_NTASKS:-1}"
{{targets}}
RUNJA-RUNS
