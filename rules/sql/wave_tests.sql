-- group_signal wave, step 2: the segments of wave_segments whose count is unusual for their
-- group, appended by Go with its test: the expected count of the window under the group's own
-- recent rate, the upper-tail probability of the count and the smallest count that would be
-- unusual, never below $min_complainants (expected and p_value NULL where the baseline was
-- too short to test, needed the floor).
CREATE OR REPLACE TEMP TABLE {{.wave_tests}} (seg BIGINT, expected DOUBLE, p_value DOUBLE, needed INTEGER)
