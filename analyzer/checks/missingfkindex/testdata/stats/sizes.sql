CREATE TABLE parents (id bigint PRIMARY KEY);
CREATE TABLE small (parent_id bigint REFERENCES parents);
CREATE TABLE big (parent_id bigint REFERENCES parents); -- want `big_parent_id_fkey`
CREATE TABLE unanalyzed (parent_id bigint REFERENCES parents); -- want `unanalyzed_parent_id_fkey`
