SELECT id FROM clicks WHERE user_id = $1 AND at >= $2;
