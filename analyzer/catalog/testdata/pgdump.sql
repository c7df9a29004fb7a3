--
-- PostgreSQL database dump
--

\restrict jgXa74s67g9TzCJYhHTIJubuZXjpbyRnpZZVFVhvXcPQVk13uhiPaTQPH0Skjeg

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: Billing; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "Billing";


ALTER SCHEMA "Billing" OWNER TO postgres;

--
-- Name: app; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA app;


ALTER SCHEMA app OWNER TO postgres;

--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;


--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';


--
-- Name: status; Type: TYPE; Schema: app; Owner: postgres
--

CREATE TYPE app.status AS ENUM (
    'new',
    'active',
    'closed'
);


ALTER TYPE app.status OWNER TO postgres;

--
-- Name: money_pair; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.money_pair AS (
	amount numeric(12,2),
	currency character(3)
);


ALTER TYPE public.money_pair OWNER TO postgres;

--
-- Name: mood; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.mood AS ENUM (
    'sad',
    'ok',
    'happy'
);


ALTER TYPE public.mood OWNER TO postgres;

--
-- Name: positive_int; Type: DOMAIN; Schema: public; Owner: postgres
--

CREATE DOMAIN public.positive_int AS integer
	CONSTRAINT positive_int_check CHECK ((VALUE > 0));


ALTER DOMAIN public.positive_int OWNER TO postgres;

--
-- Name: normalize_email(text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.normalize_email(e text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
  SELECT lower(trim(e)); -- a semicolon in a dollar body
$$;


ALTER FUNCTION app.normalize_email(e text) OWNER TO postgres;

--
-- Name: touch_updated_at(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;


ALTER FUNCTION public.touch_updated_at() OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: Invoices; Type: TABLE; Schema: Billing; Owner: postgres
--

CREATE TABLE "Billing"."Invoices" (
    "ID" bigint NOT NULL,
    "accountId" integer NOT NULL,
    total numeric,
    issued_at timestamp with time zone NOT NULL,
    CONSTRAINT invoices_total_check CHECK (((total IS NULL) OR (total > (0)::numeric)))
);


ALTER TABLE "Billing"."Invoices" OWNER TO postgres;

--
-- Name: Invoices_ID_seq; Type: SEQUENCE; Schema: Billing; Owner: postgres
--

CREATE SEQUENCE "Billing"."Invoices_ID_seq"
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE "Billing"."Invoices_ID_seq" OWNER TO postgres;

--
-- Name: Invoices_ID_seq; Type: SEQUENCE OWNED BY; Schema: Billing; Owner: postgres
--

ALTER SEQUENCE "Billing"."Invoices_ID_seq" OWNED BY "Billing"."Invoices"."ID";


--
-- Name: accounts; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.accounts (
    id integer NOT NULL,
    owner_id bigint NOT NULL,
    status app.status DEFAULT 'new'::app.status NOT NULL,
    balance numeric(12,2) DEFAULT 0 NOT NULL,
    pair public.money_pair,
    level public.positive_int,
    opened_on date,
    balance_cents bigint GENERATED ALWAYS AS (((balance * (100)::numeric))::bigint) STORED
);


ALTER TABLE app.accounts OWNER TO postgres;

--
-- Name: account_summary; Type: VIEW; Schema: app; Owner: postgres
--

CREATE VIEW app.account_summary AS
 SELECT accounts.owner_id AS owner,
    count(*) AS n
   FROM app.accounts
  GROUP BY accounts.owner_id;


ALTER TABLE app.account_summary OWNER TO postgres;

--
-- Name: accounts_id_seq; Type: SEQUENCE; Schema: app; Owner: postgres
--

CREATE SEQUENCE app.accounts_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE app.accounts_id_seq OWNER TO postgres;

--
-- Name: accounts_id_seq; Type: SEQUENCE OWNED BY; Schema: app; Owner: postgres
--

ALTER SEQUENCE app.accounts_id_seq OWNED BY app.accounts.id;


--
-- Name: users; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.users (
    id bigint NOT NULL,
    email character varying(255) NOT NULL,
    name text,
    mood public.mood DEFAULT 'ok'::public.mood,
    score numeric(10,2),
    tags text[] DEFAULT '{}'::text[],
    flags bit varying(8),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp(3) without time zone,
    deleted_at timestamp with time zone,
    login_window interval hour to minute,
    small smallint,
    ratio double precision,
    r real,
    code character(4),
    big_id bigint,
    data jsonb,
    CONSTRAINT users_score_check CHECK ((score >= (0)::numeric))
);


ALTER TABLE public.users OWNER TO postgres;

--
-- Name: TABLE users; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON TABLE public.users IS 'People; with a semicolon';


--
-- Name: COLUMN users.email; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON COLUMN public.users.email IS 'Login';


--
-- Name: active_users; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public.active_users AS
 SELECT users.id,
    users.email,
    users.created_at
   FROM public.users
  WHERE (users.deleted_at IS NULL);


ALTER TABLE public.active_users OWNER TO postgres;

--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT clock_timestamp(),
    actor text,
    CONSTRAINT audit_log_actor_check CHECK ((actor <> ''::text))
);


ALTER TABLE public.audit_log OWNER TO postgres;

--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.audit_log_id_seq OWNER TO postgres;

--
-- Name: audit_log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.audit_log_id_seq OWNED BY public.audit_log.id;


--
-- Name: audit_log_archive; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.audit_log_archive (
    id bigint DEFAULT nextval('public.audit_log_id_seq'::regclass) NOT NULL,
    at timestamp with time zone DEFAULT clock_timestamp(),
    actor text,
    CONSTRAINT audit_log_actor_check CHECK ((actor <> ''::text))
);


ALTER TABLE public.audit_log_archive OWNER TO postgres;

--
-- Name: orders; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.orders (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    account_id integer,
    status text DEFAULT 'pending'::text NOT NULL,
    amount numeric(10,2),
    placed_at timestamp with time zone DEFAULT now() NOT NULL,
    note text COLLATE pg_catalog."C"
);


ALTER TABLE public.orders OWNER TO postgres;

--
-- Name: daily_orders; Type: MATERIALIZED VIEW; Schema: public; Owner: postgres
--

CREATE MATERIALIZED VIEW public.daily_orders AS
 SELECT (orders.placed_at)::date AS day,
    count(*) AS n,
    sum(orders.amount) AS total
   FROM public.orders
  GROUP BY ((orders.placed_at)::date)
  WITH NO DATA;


ALTER TABLE public.daily_orders OWNER TO postgres;

--
-- Name: events; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.events (
    id bigint NOT NULL,
    user_id bigint,
    kind text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    payload jsonb
)
PARTITION BY RANGE (created_at);


ALTER TABLE public.events OWNER TO postgres;

--
-- Name: events_2024; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.events_2024 (
    id bigint NOT NULL,
    user_id bigint,
    kind text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    payload jsonb
);


ALTER TABLE public.events_2024 OWNER TO postgres;

--
-- Name: events_2025; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.events_2025 (
    id bigint NOT NULL,
    user_id bigint,
    kind text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    payload jsonb
);


ALTER TABLE public.events_2025 OWNER TO postgres;

--
-- Name: events_default; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.events_default (
    id bigint NOT NULL,
    user_id bigint,
    kind text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    payload jsonb
);


ALTER TABLE public.events_default OWNER TO postgres;

--
-- Name: measurements; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurements (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peaktemp integer
)
PARTITION BY LIST (city_id);


ALTER TABLE public.measurements OWNER TO postgres;

--
-- Name: measurements_1; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurements_1 (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peaktemp integer
);


ALTER TABLE public.measurements_1 OWNER TO postgres;

--
-- Name: order_items; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.order_items (
    order_id bigint NOT NULL,
    line integer NOT NULL,
    sku text NOT NULL,
    qty integer DEFAULT 1 NOT NULL
);


ALTER TABLE public.order_items OWNER TO postgres;

--
-- Name: orders_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.orders ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.orders_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.users ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.users_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: events_2024; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2024 FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');


--
-- Name: events_2025; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2025 FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2026-01-01 00:00:00+00');


--
-- Name: events_default; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events ATTACH PARTITION public.events_default DEFAULT;


--
-- Name: measurements_1; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurements ATTACH PARTITION public.measurements_1 FOR VALUES IN (1, 2);


--
-- Name: Invoices ID; Type: DEFAULT; Schema: Billing; Owner: postgres
--

ALTER TABLE ONLY "Billing"."Invoices" ALTER COLUMN "ID" SET DEFAULT nextval('"Billing"."Invoices_ID_seq"'::regclass);


--
-- Name: accounts id; Type: DEFAULT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.accounts ALTER COLUMN id SET DEFAULT nextval('app.accounts_id_seq'::regclass);


--
-- Name: audit_log id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.audit_log ALTER COLUMN id SET DEFAULT nextval('public.audit_log_id_seq'::regclass);


--
-- Name: Invoices Invoices_pkey; Type: CONSTRAINT; Schema: Billing; Owner: postgres
--

ALTER TABLE ONLY "Billing"."Invoices"
    ADD CONSTRAINT "Invoices_pkey" PRIMARY KEY ("ID");


--
-- Name: accounts accounts_owner_id_status_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.accounts
    ADD CONSTRAINT accounts_owner_id_status_key UNIQUE (owner_id, status);


--
-- Name: accounts accounts_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.accounts
    ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id, created_at);


--
-- Name: events_2024 events_2024_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events_2024
    ADD CONSTRAINT events_2024_pkey PRIMARY KEY (id, created_at);


--
-- Name: events_2025 events_2025_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events_2025
    ADD CONSTRAINT events_2025_pkey PRIMARY KEY (id, created_at);


--
-- Name: events_default events_default_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events_default
    ADD CONSTRAINT events_default_pkey PRIMARY KEY (id, created_at);


--
-- Name: order_items order_items_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.order_items
    ADD CONSTRAINT order_items_pkey PRIMARY KEY (order_id, line);


--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);


--
-- Name: users users_email_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_email_key UNIQUE (email);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: invoices_issued_idx; Type: INDEX; Schema: Billing; Owner: postgres
--

CREATE INDEX invoices_issued_idx ON "Billing"."Invoices" USING btree (issued_at) WHERE (total > (100)::numeric);


--
-- Name: accounts_status_hash; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX accounts_status_hash ON app.accounts USING hash (status);


--
-- Name: daily_orders_day_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX daily_orders_day_idx ON public.daily_orders USING btree (day);


--
-- Name: events_kind_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX events_kind_idx ON ONLY public.events USING btree (kind, created_at);


--
-- Name: events_2024_kind_created_at_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX events_2024_kind_created_at_idx ON public.events_2024 USING btree (kind, created_at);


--
-- Name: events_payload_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX events_payload_idx ON ONLY public.events USING gin (payload jsonb_path_ops);


--
-- Name: events_2024_payload_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX events_2024_payload_idx ON public.events_2024 USING gin (payload jsonb_path_ops);


--
-- Name: events_2025_kind_created_at_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX events_2025_kind_created_at_idx ON public.events_2025 USING btree (kind, created_at);


--
-- Name: events_2025_payload_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX events_2025_payload_idx ON public.events_2025 USING gin (payload jsonb_path_ops);


--
-- Name: events_default_kind_created_at_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX events_default_kind_created_at_idx ON public.events_default USING btree (kind, created_at);


--
-- Name: events_default_payload_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX events_default_payload_idx ON public.events_default USING gin (payload jsonb_path_ops);


--
-- Name: orders_dup_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX orders_dup_idx ON public.orders USING btree (user_id);


--
-- Name: orders_note_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX orders_note_idx ON public.orders USING btree (note text_pattern_ops);


--
-- Name: orders_placed_brin; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX orders_placed_brin ON public.orders USING brin (placed_at);


--
-- Name: orders_status_collate_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX orders_status_collate_idx ON public.orders USING btree (status COLLATE "C");


--
-- Name: orders_status_placed_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX orders_status_placed_idx ON public.orders USING btree (status, placed_at DESC) WHERE (status <> 'done'::text);


--
-- Name: orders_user_id_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX orders_user_id_idx ON public.orders USING btree (user_id) INCLUDE (status, amount);


--
-- Name: users_active_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX users_active_idx ON public.users USING btree (created_at) WHERE (deleted_at IS NULL);


--
-- Name: users_created_desc_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX users_created_desc_idx ON public.users USING btree (created_at DESC NULLS LAST, id);


--
-- Name: users_email_ci_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX users_email_ci_idx ON public.users USING btree (app.normalize_email((email)::text));


--
-- Name: users_lower_email_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX users_lower_email_idx ON public.users USING btree (lower((email)::text));


--
-- Name: users_name_trgm_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX users_name_trgm_idx ON public.users USING gin (name public.gin_trgm_ops);


--
-- Name: users_tags_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX users_tags_idx ON public.users USING gin (tags);


--
-- Name: users_updated_day_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX users_updated_day_idx ON public.users USING btree (((updated_at)::date));


--
-- Name: events_2024_kind_created_at_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.events_kind_idx ATTACH PARTITION public.events_2024_kind_created_at_idx;


--
-- Name: events_2024_payload_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.events_payload_idx ATTACH PARTITION public.events_2024_payload_idx;


--
-- Name: events_2024_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.events_pkey ATTACH PARTITION public.events_2024_pkey;


--
-- Name: events_2025_kind_created_at_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.events_kind_idx ATTACH PARTITION public.events_2025_kind_created_at_idx;


--
-- Name: events_2025_payload_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.events_payload_idx ATTACH PARTITION public.events_2025_payload_idx;


--
-- Name: events_2025_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.events_pkey ATTACH PARTITION public.events_2025_pkey;


--
-- Name: events_default_kind_created_at_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.events_kind_idx ATTACH PARTITION public.events_default_kind_created_at_idx;


--
-- Name: events_default_payload_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.events_payload_idx ATTACH PARTITION public.events_default_payload_idx;


--
-- Name: events_default_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.events_pkey ATTACH PARTITION public.events_default_pkey;


--
-- Name: users users_touch; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER users_touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();


--
-- Name: Invoices invoices_account_fk; Type: FK CONSTRAINT; Schema: Billing; Owner: postgres
--

ALTER TABLE ONLY "Billing"."Invoices"
    ADD CONSTRAINT invoices_account_fk FOREIGN KEY ("accountId") REFERENCES app.accounts(id) ON UPDATE CASCADE ON DELETE SET NULL;


--
-- Name: accounts accounts_owner_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.accounts
    ADD CONSTRAINT accounts_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: events events_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE public.events
    ADD CONSTRAINT events_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: order_items order_items_order_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.order_items
    ADD CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id) REFERENCES public.orders(id) ON DELETE CASCADE;


--
-- Name: orders orders_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_account_id_fkey FOREIGN KEY (account_id) REFERENCES app.accounts(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: orders orders_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- PostgreSQL database dump complete
--

\unrestrict jgXa74s67g9TzCJYhHTIJubuZXjpbyRnpZZVFVhvXcPQVk13uhiPaTQPH0Skjeg

