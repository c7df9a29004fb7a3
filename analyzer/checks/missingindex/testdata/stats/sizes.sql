-- With statistics, a table under the threshold is not reported.
SELECT * FROM tiny WHERE code = $1;
SELECT * FROM big WHERE code = $1; -- want `no index of big serves code = \$1`
SELECT * FROM unanalyzed WHERE code = $1; -- want `no index of unanalyzed serves code = \$1`
