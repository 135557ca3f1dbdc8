-- group_signal wave, step 1b: the windows of wave_segments for Go to test, with their groups'
-- activity before them.
SELECT seg, n, base_days, all_sum, all_sq, base_sum, base_sq, busy_days FROM {{.wave_segments}}
