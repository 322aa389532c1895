#!/bin/sh
# {{generated}}: ninja in one allocation
# of {{ntasks}} tasks, for the {{nstale}} runs not up to date (sbatch -n N overrides it). With
# jobs.launcher = "srun --quiet -N1 -n1 --exclusive" every run is a job step on a CPU
# of its own. Submit: runja-gen --slurm-script | sbatch
#SBATCH --job-name=runja
#SBATCH --ntasks={{ntasks}}
#SBATCH --chdir={{sbatchdir}}
#SBATCH --output={{log}}
cd {{dir}} || exit 1
exec ninja -j "${SLURM_NTASKS:-{{ntasks}}}"
