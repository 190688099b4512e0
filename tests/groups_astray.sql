-- How many groups of alerts alert_groups, as the triggers keep it, counts
-- otherwise than the alerts themselves (migration 14): always 0.
WITH counted AS (
  SELECT status, finess, check_id,
    sum(CASE WHEN severity = 'critical' THEN 1 ELSE 0 END),
    sum(CASE WHEN severity = 'high' THEN 1 ELSE 0 END),
    sum(CASE WHEN severity = 'medium' THEN 1 ELSE 0 END),
    sum(CASE WHEN severity = 'low' THEN 1 ELSE 0 END),
    sum(CASE WHEN severity = 'info' THEN 1 ELSE 0 END),
    count(DISTINCT agent_id), min(opened_at)
  FROM alerts WHERE status <> 'resolved' GROUP BY status, finess, check_id)
SELECT (SELECT count(*) FROM (SELECT * FROM alert_groups EXCEPT SELECT * FROM counted) a)
     + (SELECT count(*) FROM (SELECT * FROM counted EXCEPT SELECT * FROM alert_groups) b);
