-- Orders of a customer.
SELECT * FROM pgbench_accounts WHERE aid = 42;

\set bid 1
SELECT abalance
  FROM pgbench_accounts
 WHERE bid = 1 ORDER BY abalance DESC LIMIT 10;

COPY pgbench_branches FROM stdin;
1	0	\N
\.

SELEC broken;
UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = 7;
