#!/bin/sh
# {{generated}}: ninja in one allocation
# of {{ntasks}} tasks, for the {{nstale}} runs not up to date (sbatch -n N overrides it). With
# jobs.launcher = "slurm" every run is a job step with CPUs of its own.
# Submit: runja-gen --slurm-submit, or runja-gen --slurm-script | sbatch
#SBATCH --job-name=runja
#SBATCH --ntasks={{ntasks}}
#SBATCH --chdir={{sbatchdir}}
#SBATCH --output={{log}}{{sbatch}}
cd {{dir}} || exit 1
exec ninja -j "${SLURM_NTASKS:-{{ntasks}}}"
