SELECT 1;
-- The last statement of the file is cut short.
SELECT id FROM users WHERE -- want `syntax error at end of input`
