# GNU make has no pools: runja-gen refuses jobs.pool with --backend make (use make -jN).
