--
-- PostgreSQL database dump
--

\restrict owNn1VJkGefXHI88LuawvvgbF4WezrspsG4vimcT4qhZw4X5bzasM5qmXS78gFb

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

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
-- Name: alert_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.alert_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$  BEGIN    IF TG_OP = 'INSERT' THEN      INSERT INTO alert_events (alert_id, at, kind) VALUES (NEW.id, NEW.opened_at, 'opened');    ELSIF NEW.status = 'resolved' AND OLD.status <> 'resolved' THEN      INSERT INTO alert_events (alert_id, at, kind)      VALUES (NEW.id, coalesce(NEW.resolved_at, 0), 'resolved');    END IF;    RETURN NULL;  END $$;


--
-- Name: alert_group_refresh(text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.alert_group_refresh(s text, c text, f text) RETURNS void
    LANGUAGE plpgsql
    AS $$  BEGIN    IF s = 'resolved' THEN RETURN; END IF;    PERFORM pg_advisory_xact_lock(1752786793, 0);    DELETE FROM alert_groups WHERE status = s AND finess = f AND check_id = c;INSERT INTO alert_groups SELECT status, finess, check_id, sum(CASE WHEN severity = 'critical' THEN 1 ELSE 0 END), sum(CASE WHEN severity = 'high' THEN 1 ELSE 0 END), sum(CASE WHEN severity = 'medium' THEN 1 ELSE 0 END), sum(CASE WHEN severity = 'low' THEN 1 ELSE 0 END), sum(CASE WHEN severity IN ('critical', 'high', 'medium', 'low') THEN 0 ELSE 1 END), count(DISTINCT agent_id), min(opened_at) FROM alerts WHERE status = s AND finess = f AND check_id = c AND s <> 'resolved' GROUP BY status, finess, check_id;  END $$;


--
-- Name: alert_groups_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.alert_groups_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$  BEGIN    IF TG_OP <> 'INSERT' THEN      PERFORM alert_group_refresh(OLD.status, OLD.check_id, OLD.finess);    END IF;    IF TG_OP <> 'DELETE' THEN      PERFORM alert_group_refresh(NEW.status, NEW.check_id, NEW.finess);    END IF;    RETURN NULL;  END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: agents; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.agents (
    id text NOT NULL,
    finess text NOT NULL,
    hostname text NOT NULL,
    enrolled_at bigint NOT NULL,
    revoked_at bigint,
    machine text,
    last_seen bigint,
    last_seq bigint DEFAULT '-1'::integer NOT NULL,
    report_interval bigint DEFAULT 3600 NOT NULL,
    checks text DEFAULT ''::text NOT NULL,
    score bigint,
    equipment bigint DEFAULT 0 NOT NULL,
    os_supported bigint,
    os text,
    model text,
    ram_mib bigint,
    disk text,
    disk_gb bigint
);


--
-- Name: alert_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alert_events (
    id bigint NOT NULL,
    alert_id bigint NOT NULL,
    at bigint NOT NULL,
    kind text NOT NULL,
    CONSTRAINT alert_events_kind_check CHECK ((kind = ANY (ARRAY['opened'::text, 'resolved'::text])))
);


--
-- Name: alert_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.alert_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: alert_events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.alert_events_id_seq OWNED BY public.alert_events.id;


--
-- Name: alert_groups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alert_groups (
    status text NOT NULL,
    finess text NOT NULL,
    check_id text NOT NULL,
    critical bigint NOT NULL,
    high bigint NOT NULL,
    medium bigint NOT NULL,
    low bigint NOT NULL,
    info bigint NOT NULL,
    machines bigint NOT NULL,
    oldest bigint NOT NULL
);


--
-- Name: alerts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alerts (
    id bigint NOT NULL,
    agent_id text,
    check_id text NOT NULL,
    subject text NOT NULL,
    severity text NOT NULL,
    summary text NOT NULL,
    status text NOT NULL,
    opened_at bigint NOT NULL,
    acknowledged_at bigint,
    resolved_at bigint,
    last_seen bigint NOT NULL,
    last_seq bigint NOT NULL,
    finess text NOT NULL,
    summary_fr text,
    remediation text,
    remediation_fr text,
    CONSTRAINT alerts_status_check CHECK ((status = ANY (ARRAY['open'::text, 'acknowledged'::text, 'resolved'::text])))
);


--
-- Name: alerts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.alerts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: alerts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.alerts_id_seq OWNED BY public.alerts.id;


--
-- Name: api_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_tokens (
    hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    at bigint NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    target text NOT NULL,
    detail text NOT NULL
);


--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.audit_log_id_seq OWNED BY public.audit_log.id;


--
-- Name: backup_jobs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.backup_jobs (
    finess text NOT NULL,
    job text NOT NULL,
    last_seen bigint NOT NULL
);


--
-- Name: duties; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.duties (
    name text NOT NULL,
    node text NOT NULL,
    started_at bigint NOT NULL,
    finished_at bigint NOT NULL
);


--
-- Name: enrollment_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.enrollment_tokens (
    hash text NOT NULL,
    finess text NOT NULL,
    uses_left bigint NOT NULL,
    expires_at bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT enrollment_tokens_uses_left_check CHECK ((uses_left >= 0))
);


--
-- Name: establishment_days; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.establishment_days (
    finess text NOT NULL,
    day bigint NOT NULL,
    score bigint NOT NULL,
    machines bigint NOT NULL
);


--
-- Name: establishments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.establishments (
    finess text NOT NULL,
    name text NOT NULL,
    region text NOT NULL,
    department text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: login_throttle; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.login_throttle (
    key text NOT NULL,
    failures bigint NOT NULL,
    blocked_until bigint NOT NULL,
    last_try bigint NOT NULL
);


--
-- Name: machine_days; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.machine_days (
    agent_id text NOT NULL,
    day bigint NOT NULL,
    score bigint NOT NULL
);


--
-- Name: notify_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notify_state (
    name text NOT NULL,
    cursor bigint DEFAULT 0 NOT NULL,
    attempts bigint DEFAULT 0 NOT NULL,
    next_at bigint DEFAULT 0 NOT NULL
);


--
-- Name: policies; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.policies (
    finess text NOT NULL,
    revision bigint NOT NULL,
    text text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: records; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.records (
    id bigint NOT NULL,
    finess text NOT NULL,
    kind text NOT NULL,
    day bigint NOT NULL,
    title text NOT NULL,
    people bigint DEFAULT 0 NOT NULL,
    result text DEFAULT ''::text NOT NULL,
    notes text DEFAULT ''::text NOT NULL,
    created_by text NOT NULL,
    created_at bigint NOT NULL,
    CONSTRAINT records_kind_check CHECK ((kind = ANY (ARRAY['exercise'::text, 'awareness'::text, 'restore_test'::text])))
);


--
-- Name: records_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.records_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: records_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.records_id_seq OWNED BY public.records.id;


--
-- Name: reports; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.reports (
    agent_id text NOT NULL,
    report_id text NOT NULL,
    seq bigint NOT NULL,
    collected_at bigint NOT NULL,
    received_at bigint NOT NULL,
    encoding text NOT NULL,
    body bytea NOT NULL
);


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version integer NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sessions (
    hash text NOT NULL,
    user_id bigint NOT NULL,
    csrf text NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
);


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id bigint NOT NULL,
    login text NOT NULL,
    role text NOT NULL,
    region text DEFAULT ''::text NOT NULL,
    finess text,
    hash text NOT NULL,
    created_at bigint NOT NULL,
    disabled_at bigint,
    failures bigint DEFAULT 0 NOT NULL,
    last_failure bigint DEFAULT 0 NOT NULL,
    email text DEFAULT ''::text NOT NULL,
    lang text DEFAULT 'fr'::text NOT NULL,
    CONSTRAINT users_role_check CHECK ((role = ANY (ARRAY['admin'::text, 'regional'::text, 'establishment'::text, 'funder'::text])))
);


--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.users_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;


--
-- Name: alert_events id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alert_events ALTER COLUMN id SET DEFAULT nextval('public.alert_events_id_seq'::regclass);


--
-- Name: alerts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alerts ALTER COLUMN id SET DEFAULT nextval('public.alerts_id_seq'::regclass);


--
-- Name: audit_log id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log ALTER COLUMN id SET DEFAULT nextval('public.audit_log_id_seq'::regclass);


--
-- Name: records id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.records ALTER COLUMN id SET DEFAULT nextval('public.records_id_seq'::regclass);


--
-- Name: users id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


--
-- Data for Name: agents; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.agents (id, finess, hostname, enrolled_at, revoked_at, machine, last_seen, last_seq, report_interval, checks, score, equipment, os_supported, os, model, ram_mib, disk, disk_gb) FROM stdin;
a01354fd-a584-4d10-bb39-41afc39976e0	750712184		1796412250	\N	a081c5841c450e0644274badd636647d1c0c4a17655ee7986154a5b1923c33c5	1796412250	2	3600	os.supported=w3;firewall.enabled=f3;disk.encryption=s2;patch.security_pending=s3;patch.updates_pending=s1;patch.refresh_age=s2;patch.reboot_required=s2;patch.auto_updates=s2;backup.configured=p3;backup.recent=f3;backup.offsite=f2;backup.shrunk=p2;password.empty=e4;password.weak_hash=e3;password.common=e4;password.min_length=s2;password.max_age=e1;password.stale=e2;password.ssh_root=p3;password.autologon=p3;antivirus.present=f3;antivirus.running=s3;antivirus.signatures_age=s3;antivirus.realtime=s2;equipment.ram=s1;equipment.age=s1;equipment.storage=s1;equipment.tpm=s1;equipment.win11_ready=s1;equipment.os_supported=w2;	27	0	1	Debian GNU/Linux 12 (bookworm)		\N		\N
\.


--
-- Data for Name: alert_events; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.alert_events (id, alert_id, at, kind) FROM stdin;
1	1	1796412250	opened
2	2	1796412250	opened
3	3	1796412250	opened
4	4	1796412250	opened
5	5	1796412250	opened
6	6	1796412250	opened
7	7	1796412250	opened
8	8	1796412250	opened
9	9	1796412250	opened
10	10	1796412250	opened
11	11	1796412250	opened
12	12	1796412250	opened
13	13	1796412250	opened
14	14	1796412250	opened
\.


--
-- Data for Name: alert_groups; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.alert_groups (status, finess, check_id, critical, high, medium, low, info, machines, oldest) FROM stdin;
open	750712184	firewall.enabled	0	1	0	0	0	1	1796412250
open	750712184	backup.recent	0	3	0	0	0	1	1796412250
open	750712184	backup.offsite	0	0	5	0	0	1	1796412250
open	750712184	password.empty	1	0	0	0	0	1	1796412250
open	750712184	password.weak_hash	0	1	0	0	0	1	1796412250
open	750712184	password.common	1	0	0	0	0	1	1796412250
open	750712184	password.stale	0	0	1	0	0	1	1796412250
open	750712184	antivirus.present	0	1	0	0	0	1	1796412250
\.


--
-- Data for Name: alerts; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.alerts (id, agent_id, check_id, subject, severity, summary, status, opened_at, acknowledged_at, resolved_at, last_seen, last_seq, finess, summary_fr, remediation, remediation_fr) FROM stdin;
1	a01354fd-a584-4d10-bb39-41afc39976e0	firewall.enabled		high	No firewall is on	open	1796412250	\N	\N	1796412250	1	750712184	Aucun pare-feu n'est actif	Install a firewall and turn it on: run "sudo apt install ufw", then "sudo ufw enable".	Installez un pare-feu et activez-le : lancez « sudo apt install ufw », puis « sudo ufw enable ».
2	a01354fd-a584-4d10-bb39-41afc39976e0	backup.recent	nightly	high	The newest backup in /var/backups/nightly is 30 hours old (limit: 26 hours)	open	1796412250	\N	\N	1796412250	1	750712184	La dernière sauvegarde dans /var/backups/nightly remonte à 30 heures (limite : 26 heures)	Check that the backup job still runs (its schedule, its log, free space where it writes), then run it once by hand.	Vérifiez que la sauvegarde s'exécute toujours (sa planification, son journal, l'espace libre là où elle écrit), puis lancez-la une fois à la main.
3	a01354fd-a584-4d10-bb39-41afc39976e0	backup.recent	stale	high	The newest backup in /var/backups/stale is 12 days old (limit: 26 hours)	open	1796412250	\N	\N	1796412250	1	750712184	La dernière sauvegarde dans /var/backups/stale remonte à 12 jours (limite : 26 heures)	Check that the backup job still runs (its schedule, its log, free space where it writes), then run it once by hand.	Vérifiez que la sauvegarde s'exécute toujours (sa planification, son journal, l'espace libre là où elle écrit), puis lancez-la une fois à la main.
4	a01354fd-a584-4d10-bb39-41afc39976e0	backup.recent	tiny	high	The newest backup in /var/backups/tiny is only 999999 bytes, under the 1000000 bytes minimum	open	1796412250	\N	\N	1796412250	1	750712184	La dernière sauvegarde dans /var/backups/tiny ne fait que 999999 octets, sous le minimum de 1000000 octets	Check that the last backup did not stop half-way: look at its log and at what it holds.	Vérifiez que la dernière sauvegarde ne s'est pas arrêtée en cours de route : regardez son journal et son contenu.
5	a01354fd-a584-4d10-bb39-41afc39976e0	backup.offsite	nightly	medium	/var/backups/nightly is on the same disk as the system (device 254:0)	open	1796412250	\N	\N	1796412250	1	750712184	/var/backups/nightly est sur le même disque que le système (périphérique 254:0)	Keep a copy of the backups away from this machine: on a network share (NAS) or on a disk that is unplugged after each backup and stored elsewhere, so that a disk failure, ransomware or a fire cannot take both.	Gardez une copie des sauvegardes hors de cette machine : sur un partage réseau (NAS) ou sur un disque débranché après chaque sauvegarde et rangé ailleurs, pour qu'une panne de disque, un rançongiciel ou un incendie ne puisse pas emporter les deux.
6	a01354fd-a584-4d10-bb39-41afc39976e0	backup.offsite	weekly	medium	/var/backups/weekly is on the same disk as the system (device 254:0)	open	1796412250	\N	\N	1796412250	1	750712184	/var/backups/weekly est sur le même disque que le système (périphérique 254:0)	Keep a copy of the backups away from this machine: on a network share (NAS) or on a disk that is unplugged after each backup and stored elsewhere, so that a disk failure, ransomware or a fire cannot take both.	Gardez une copie des sauvegardes hors de cette machine : sur un partage réseau (NAS) ou sur un disque débranché après chaque sauvegarde et rangé ailleurs, pour qu'une panne de disque, un rançongiciel ou un incendie ne puisse pas emporter les deux.
7	a01354fd-a584-4d10-bb39-41afc39976e0	backup.offsite	stale	medium	/var/backups/stale is on the same disk as the system (device 254:0)	open	1796412250	\N	\N	1796412250	1	750712184	/var/backups/stale est sur le même disque que le système (périphérique 254:0)	Keep a copy of the backups away from this machine: on a network share (NAS) or on a disk that is unplugged after each backup and stored elsewhere, so that a disk failure, ransomware or a fire cannot take both.	Gardez une copie des sauvegardes hors de cette machine : sur un partage réseau (NAS) ou sur un disque débranché après chaque sauvegarde et rangé ailleurs, pour qu'une panne de disque, un rançongiciel ou un incendie ne puisse pas emporter les deux.
8	a01354fd-a584-4d10-bb39-41afc39976e0	backup.offsite	tiny	medium	/var/backups/tiny is on the same disk as the system (device 254:0)	open	1796412250	\N	\N	1796412250	1	750712184	/var/backups/tiny est sur le même disque que le système (périphérique 254:0)	Keep a copy of the backups away from this machine: on a network share (NAS) or on a disk that is unplugged after each backup and stored elsewhere, so that a disk failure, ransomware or a fire cannot take both.	Gardez une copie des sauvegardes hors de cette machine : sur un partage réseau (NAS) ou sur un disque débranché après chaque sauvegarde et rangé ailleurs, pour qu'une panne de disque, un rançongiciel ou un incendie ne puisse pas emporter les deux.
9	a01354fd-a584-4d10-bb39-41afc39976e0	backup.offsite	single	medium	/var/backups/db.sql.gz is on the same disk as the system (device 254:0)	open	1796412250	\N	\N	1796412250	1	750712184	/var/backups/db.sql.gz est sur le même disque que le système (périphérique 254:0)	Keep a copy of the backups away from this machine: on a network share (NAS) or on a disk that is unplugged after each backup and stored elsewhere, so that a disk failure, ransomware or a fire cannot take both.	Gardez une copie des sauvegardes hors de cette machine : sur un partage réseau (NAS) ou sur un disque débranché après chaque sauvegarde et rangé ailleurs, pour qu'une panne de disque, un rançongiciel ou un incendie ne puisse pas emporter les deux.
10	a01354fd-a584-4d10-bb39-41afc39976e0	password.empty		critical	etc/passwd: cannot read etc/passwd: No such file or directory	open	1796412250	\N	\N	1796412250	1	750712184	Ce contrôle n'a pas pu lire etc/passwd	Fix or restore the file named, then run the check again.	Réparez ou restaurez le fichier indiqué, puis relancez la vérification.
11	a01354fd-a584-4d10-bb39-41afc39976e0	password.weak_hash		high	etc/passwd: cannot read etc/passwd: No such file or directory	open	1796412250	\N	\N	1796412250	1	750712184	Ce contrôle n'a pas pu lire etc/passwd	Fix or restore the file named, then run the check again.	Réparez ou restaurez le fichier indiqué, puis relancez la vérification.
12	a01354fd-a584-4d10-bb39-41afc39976e0	password.common		critical	etc/passwd: cannot read etc/passwd: No such file or directory	open	1796412250	\N	\N	1796412250	1	750712184	Ce contrôle n'a pas pu lire etc/passwd	Fix or restore the file named, then run the check again.	Réparez ou restaurez le fichier indiqué, puis relancez la vérification.
13	a01354fd-a584-4d10-bb39-41afc39976e0	password.stale		medium	etc/passwd: cannot read etc/passwd: No such file or directory	open	1796412250	\N	\N	1796412250	1	750712184	Ce contrôle n'a pas pu lire etc/passwd	Fix or restore the file named, then run the check again.	Réparez ou restaurez le fichier indiqué, puis relancez la vérification.
14	a01354fd-a584-4d10-bb39-41afc39976e0	antivirus.present		high	No antivirus found	open	1796412250	\N	\N	1796412250	1	750712184	Aucun antivirus trouvé	Install ClamAV: apt install clamav-daemon clamav-freshclam	Installez ClamAV : apt install clamav-daemon clamav-freshclam
\.


--
-- Data for Name: api_tokens; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.api_tokens (hash, created_at) FROM stdin;
\.


--
-- Data for Name: audit_log; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.audit_log (id, at, actor, action, target, detail) FROM stdin;
1	1796412250	cli:root	user.add	claire	regional
\.


--
-- Data for Name: backup_jobs; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.backup_jobs (finess, job, last_seen) FROM stdin;
750712184	nightly	1796412250
750712184	weekly	1796412250
750712184	stale	1796412250
750712184	tiny	1796412250
750712184	single	1796412250
\.


--
-- Data for Name: duties; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.duties (name, node, started_at, finished_at) FROM stdin;
sweep	vm/127.0.0.1:20607	1796412250	1796412250
\.


--
-- Data for Name: enrollment_tokens; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.enrollment_tokens (hash, finess, uses_left, expires_at, created_at) FROM stdin;
3d081dc9f9847d12395667adf2e0f1cda7b6c71494ff5f1225aebb2cc868f086	750712184	0	1797017050	2026-12-04 19:24:10.142315+00
\.


--
-- Data for Name: establishment_days; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.establishment_days (finess, day, score, machines) FROM stdin;
\.


--
-- Data for Name: establishments; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.establishments (finess, name, region, department, created_at) FROM stdin;
750712184	EHPAD Les Tilleuls	Île-de-France	75	2026-12-04 19:24:10.105192+00
\.


--
-- Data for Name: login_throttle; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.login_throttle (key, failures, blocked_until, last_try) FROM stdin;
\.


--
-- Data for Name: machine_days; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.machine_days (agent_id, day, score) FROM stdin;
\.


--
-- Data for Name: notify_state; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.notify_state (name, cursor, attempts, next_at) FROM stdin;
\.


--
-- Data for Name: policies; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.policies (finess, revision, text, updated_at) FROM stdin;
\.


--
-- Data for Name: records; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.records (id, finess, kind, day, title, people, result, notes, created_by, created_at) FROM stdin;
\.


--
-- Data for Name: reports; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.reports (agent_id, report_id, seq, collected_at, received_at, encoding, body) FROM stdin;
a01354fd-a584-4d10-bb39-41afc39976e0	313d4d7a-c6fa-4c3b-bdc3-21f056766dd8	1	1796412250	1796412250	gzip	\\x1f8b0800000000000003ed5c5b731b3796fe2b28be58ae1269de4449cc53e299c9a636c94cad9d799824c502bb411256dfdc4053a25dfe2ffbb651f6755fb6e66df8c7e63b07ddec26c5a648957c89cd3c38221a7d70eef80e1ac0db86f1662a948d6163b6986ad54a5512a7f659a771da707f8eb48f87bd4ecfeffbe7b2e90d26b2d9f77ae3e6d8f77acd6e67d23e1b9c0f06be7f81578c7add18764e1b72aa22db18be6df0cbb2dde99df5277e539e5df49b7dbfd36e8ec7bdcb66bf23275eeff2f27ca0da7879ae52a3e3082fb45b9d16b5cc626323192a34e15728bd998e1413bce878a0d5f1fa676dd51ef4fbddf3fe58fafea03718f4cffd8ed7f6fab2733e383b53eafcf262d039ebcbb371e7b2dbf37a3def0cc47464553a974163d81bb4dbef4e1b5e1c04cab3ca1f4970dee8b6bb8366a7db6cf75f762e87ddfeb0d3fe075e4be2407b8b9564ca84a639964605c418a96cae9d0c4472223d6ba86f6c566ff86aac6544945265ed62948bf7276e16dffef8d3b3ef7594dd884e579c8ce3f8ea3a4ec3a7a5729c353a5dd27596907d88b2af8d4de32a752bc701d11d673ab03a62d3a45a196acaa932bb8102f34edc5eb30d8949ed2a0e0a0db4cf9b9d8e6b1a05240c355f50cf5ede73a48af65e2f6f27d175aaae65101077516c6988281645abd0461865459688936c727dba7ae09f8a68c2bc9b53a113f7573321d98d854b91265444ad50c3440646c1d73cabe718e0e75fcb618dfbe92b4ffbb0e8248d4370e0c5d1444fb3545a685204b1c43321ad80462c31ad222f5d2496edf7b6318f838c6df38c3df19ad41b36b9071a0aa194b633950ab3301323a23815ca7acf26069c0babc088b89e696f267c3886a7c42c0e7c239e35de61b4445a6fc6d64baea6b934681e4bef2a4ba83d8cb3c89a827990a47131905521bfc62449f367fd211963435a6347e8827670b348a8a3bab17d625d59d8ffaa1cf2553c66078df4746603f66e303723d1e7327de63832cf8ac7e437260ee66483ba1e05738fc9e6958e68c489864f54e88c17445c70b390912fdac2871b7836268727fbc242c2c6c990ff88d4b53296bb931b569a72cd532ac8287b7589077ac2ba71713a6e5999527ce95055b344ef65a7576689d03dee9c5f0e7aed7ef7ac0dbbe93768e9b639d7249427e2cc5408cb1ac2dd3ac2ddcef9c5066150be56eaaade82f9d37a03ae3a7c68fb75de83fd3a5bec77fd08f6832808c640d569d93dac5772f1fc73d5b1d9a6e34eb3db5d9b494b1d9ff5cecffa77758c69abd691f959bd86f3c79fab826d8d1303aa5c6c75e27efb62502af892ff6337d6d1b4de8ffd71cbbc0e5ad3373b345dedf3a1d54d5a23be498352385958a5bbb55765798b06cf6b3478d62e35d8230f7573b83160d8e74caed2344e0979bc6d98384b5901dcc1274935e3314207ab36068d43500d953180cc04516404642152257d51f61d8a1f636132e008f618a08cc2b9168d77c039413cd511543a613e2a43f183163f000bd0895faa36910c23365a8d99f90c56234a5325cec22399d918041d3ada446180a0492017a350469084d5f02b69484640673a75735d92c67ec69898d019a1fb92fa4ca6feb54cd97f42159268c3b7ef98f055fe0283ac72c450bb1e36091d7165b8ea2828020c8605c54c4d741563599bc361a20bfe6c2683d1aac070fd9844e4c3af9c51512879704da0f9568ebd155991801989d7c0580e6803ab6b4b1e3a031e62a41e8692e4b907e60f61f7691648c049e5654443e40309151156056a2d51f957f8192cc4f72f5fc02b6e906452d4713a12707c1d8875983e47d4442e36b781fb1bcbf447fcea26c6df2c25de51360895afa543ca8d9f92690a288dec4661586846e4c5c5d0b119e850536b31d61acf2dce3064db9fe130c6e82617a3916af6ce1a3090c55bceb553fa775f7d8aa140b4142a04876679cb7a5dde12540f6500869314e90376a6aea556c457b04106f84ef9dc8b538a360d844fda869f512d722a5e65e675f64466ebca5e57cedf10c0ea8d58fe37eca2445ec509121a34320516612c3c61a2e2355afcf51197b7a4b0cc380d2e6f4dab41a9a774c7a2e66915215971c989843d77bbe48feb65591c6df8cb1fa67a5bd7fb772e7fc1c02bb6695ab6591a096d2126822d8bc42fd0840fbf4dacc8339e8048bf344e694e5e3d4693708cffd2a8f7d5cef94e5ffd3af330608284d49ca84c444f68ba27f127779c26671e7e537d43b9ee73f5a61990e30412267a23fef5bf629b0ce25fff3c1549065b151d4a29f06cd38b28cdb62a0570c589cc954ed69d8878cdc235377aee262eaa7951f22a2e8a698276f5aa70c5b43879f694bc271f877db5ea6befb5e4ae4d31dd9d66fb2e4c627427ad510691f358636c4de922178a445cfe964b4746c52c3299a4cbdb0d1573c1df2a52fb28513cb7ecd6f4b670cd935e020886a956f8129273a22503f0606eaab0330a54b75eb0a6e77a55f477aa02b98c744083d1ff138974654dc10f8d1f89f9f236d5138d0c6bb25478a576b62a234bc0bd32fbe92280437cbeaa001b98036623c2818706dfe7a6094ae9a354bdce90bafd2f5c1b84ba47799c7cb1aa70e566ab8000eb4e4135d23d59f32cafab5128a6c48d07907d67f671cba03f37ca55ccd57258b164932f2ce475f3aff5aad90d05ce308f64733545c903b067e208e814d0144c2d6f61e5adb2030f5275b31fb81bbf027aa4b972254a39f8cbcdc506a006b16d199766ea5e1b136896021706be3861083a14dd816b7cbaa1c08d62fd3d2d9ec28b473c3cd5e1f455e8665469ea0eee40c1e7a448f877be08930b0d6b0b837227201c68c489866fd2b7303f0b14d02b7ea1d605b64d15bc12d1a308d6c079001eafa16e659ee618916024234a74192fc40c3073473db3db31be9770ce34d2cbdf5255f111442d58dc6a23880af751546090ad1482c3e486228c48a6e2b6a77740e6df5dec014152d511c8ea78e689baa15ac9525597bd620f383128968039f18ec7344ec973053d8c64702a02005ad653a0c7e03e0047f1f2ff051019b8bbf5a0b3a7392075c0b58921a9269ac4684267fc74b5e09eeebf23ec0bf72fe3f700ef772f6d3aff81aefe18ebccf7b97ae7b2fbd004b4bf9fe5dad8e6668f98a78afc7a889df81d32136a7e5f2e1e27453dc6daf59addba17175f6c8e7216aab80e2c95e7922f2141ede1f7059e38c0ede915b75083b0744bf930a9a525972cf2f3aabbd3e6ffdc0311ea4887597860283cce5786b560e86c090534e968c48ca283e3fbbef00864a91f5ffb0c658d8d13387630695ecbc51081115fd1ea501e24bcf8839fd7336e73ab021f2004d85ae4431283921be7168b3d0b304c0e4a2b7baa301101e5c276aecbfd51b195938843045ac22c09cc9b2e7fb7809602a9c0e358419734ce380253f7ca9b6ab0d05a13fdf4625ea67ccc3939c7ce8739fdea9b0d797ef7c1b3f2237dfa594ff075e9fdbdfa55a9904a7aedee9c98e3c9c420e7eece50951a72570d51572e701d49ac87605a1b44a0a9ae029ee46b72fc5970736a2e37be3cdee7c3c7df2d732735fda752899088946421e24965f646dc211309a2ef8aebfcf3127d10c10b395d616654929efcf8f58ba7f4618f9fb1ea38dbe1b52c4a826c3aa5c5ee89457e572053c409653524be943eac803b9efd29a9b897734264e58cda53b851cc9fc46824b7322ef22f8e565e81f1d8ce1e9c14b7fa04c53495f694e296bf3bafa0bcc5b9abba749a505a4b66f42f3d5b79c8bab2bf75998a6665285cbb8f25d55a7a16bbe4e6298b98c8358e24473cb8b5744bab20a8b38d9259a1f6ac789e7387627c0c65796047c8245dfe668437a3f58b6a502245a2cf94ba00a121f090ce136400c8f684184ca0585ef97044697aa61796ff134753ed6915d0b884cbe0ff91af396713fa308a93b60af93b5aca5fa07c95ddd424e18786f596daa8a60c3a06f531a8ab2e718ce94f35a6ef96d1db2be663441f23bae211c780fe5403facefa40cd52c0319c8fe15c38c4319a3fd568deb2f451bfca710cea63506f78c531b2df77649b599a4557bb5734f75c223be8337bb7d51657df8813ded29e1f0e82ffc2c1dd93cd00ffc39d4bfa405fc37999bd5066409b7b97b7def2167a731f9b7265ee69fb9d5b6c0e5b47c97741c3a4b9379cd2470bc4d394b64d7b7148bb3c1b7beebb39bc641f7294d38ee6aa2291c64090568e7306d247d5cc3ed5e8c7d28b2b7c3e8a5aeec7f41f4b290c1f3f8eabec8b8c3e966aca49f881fa294e0ab53015d94555417c6c685d43f42d5a7b32585348f538d0e1c784d6e78f0f793e691376fc45df500f3af000b4c5288fdfa209c7afec57a007ac3d21a73bcf88f099f58da6dd7bba9f2bfeb2992eff8fc67d22192324990808c5ada9609df5ff5ade926ddf10d820fe65463ff8d419b011e0051d177a9d2d6ff37d04a9caf7e8632acab73aba9d099bf063e51dd74a5e8d66d2cceef1903b3b1c8fde51e71d9d3fa82b209184eb07318e99e2982956ee41bb6602154ded6cefd9b6b22bfc6f5fff200a5262fd64953b10badf140a85de7be4496dd0a7a1a9ba0c636bdcc670aad26c1a6710fcee1ef8425cb7c7e29e70d83c22728c848719eed375fb5551b1c30bb6b8fcd111be809468cc6c94d269d0c30e8740fd2f5efc07207d3a272e8c28cfbeef99057b7b1cfc64f259ca43b9b39ff9305bce09e6f29407ee0f16283f8e2ff2e3f8224e54c4b724c01929098f17b4335205930ddfdeeb58ff03a196d3c314a28383486a3e8943be14a91be2699aca64c60b96d1134c06ee71c1b08d33cb55d786b256f70bb48af3ff071f7f5e91a89dfab61d2c7e1ec8f0ebbf0fd78edd7a6893f3a62f694f5ef18b8ff5d1dff531b8fb2095d35bc9653e55de09b0f2d4b0e34d1cc45c9d5a914da2071d532d193e389e0ed3475d1c9532183d8dc03b64bdff78e5272e0a268f80175b1f00fa3eba1874a2330911a4ad94c3e180c3be3ff0952082569579bbb79c23b6f9668a4791e0257f76a08443bbfc97b7614ce9898e2852068c233aff5d2bccbd3eb529cc37dffdf5059dc47c2fa2fc89e8fa99e041f69480d0c4c152b869e66a5bd6acdedae2cef1e79f2df9852cba8ae2eb68285e65fed49d3ea55116c46d93f633cff99202ea5b7f6c7f2f97cc3f411519b34e7cba41e620d15f968765093030aa737972c8270e8acb6c0aac39a6894c6d5eadb1fde29a874afcbcf205305aedfd5754d0451e4fb98a84a5ef777c0389254ca5f8f2914465aef7f2770ba6e759ada6ae75d4e98c08c12e3e86c6f233e1c48ae13b792a0d04b0938c67459305f433f7b3c6eaeaa3c6caf3a258a0b38e26317f97e68bada0951fb497c6269ed82774df8ac120a4868d41e25499bd86294977b7d0497344b03f95bef8567fb3855219bd87501b80dc366a2e185694720c55904188aa8a5cadf6160a7cd9523d89404da5b7e0fc5452fae9cf7ff96e9b68745b861a8d1daaaf67aa24e4c98473e9bbfa8b9d7604d8662d74cffd431f24e66233daf3bea92dd3fe2770e354b173e4fe4b6e0fbc9b6ac7a53f77aea1fa4ae8c9dade91d53200a609f8f4296d1d08329f0f4f6a5740af4c80bed69b35b3449077c2cc9ff18555d5bb87b65d58f5155d7eb3be23a4eacd804f132eedca084873ddba1395fcf19e8fada1a6f41972a5d25ad47e7c3dc593e52d699dc3860bfd5fdffd1b1ef10070a45a0000
a01354fd-a584-4d10-bb39-41afc39976e0	903dd41e-9f64-488a-89c9-7fa943290f46	2	1796412250	1796412250	gzip	\\x1f8b0800000000000003ed5ccb921bb715fd1514371a550d29bee645af6c39715cb11d57247b11dbc502bb41129a7ea981e60ca5d2bf64178fb3cd26959df96339f7a29bdde4b039e4d4e861895ec84334fae2be712e1ac0eb86f1a62a948d41633a9f68d54a5512a7f649a771dc707f0eb58f8717ed9eeff73baa79313eed37fbe7e7b2797ee15d34cfc6f2a2dfeb5eb4c7fd53bc62d4cbc6a07bdc901315d9c6e075835f96ed4eefa43ff69bf2e41c2ffb9d767334ea5d34fb1d39f67a171767a7aa8d97672a353a8ef042bbd56951cb34363692a142137e85d29bea4831c1f38e075a1daf7fd256edd37ebf7bd61f49df3fed9d9ef6cffc8ed7f6fab273767a72a2d4d9c5f969e7a42f4f469d8b6ecfebf5bc1310d39155e94c068d41efb4dd7e73dcf0e220509e55fe5082f346b7dd3d6d76bacd76ff79e762d0ed0f3aed7fe0b5240eb4375f4aa64c689a236954408c91ca66dac94024c7d2b386fac666f986af465a46442955d6ce87b9785f72b3f8eabb1f9e7ca3a3ec5a74bae26814c79757711a3e2e95e3acd1e992aeb384ec43947d6d6c1a57a95b390a88ee28d381d5119b26d5ca50534e95d90d149877e2f69a6d484c6a57715068a07dd6ec745cd3302061a8f99c7af6f29e4355b4f77a793b89ae5375258380b88b624b4344b1285a8536c2282bb2441c65e3abe3e503ff584463e6dd1c0b9db8bf9a09c96e2c5c8a34a1226a851ac632300abee6593dc3003ffd520e6bdc4f5f79da8745c7691c82032f8ec67a92a5d242932288259e096905346289691579e93cb16cbfd78d591c646c9b27ec8957a4deb0c93dd05008a5b49daa5498b9191b11c5a950d67b3236e05c580546c4d5547b53e1c3313c25a671e01bf1a4f106a325d27a53b65e7239c9a541f3487a975942ed619c45d614cc83248d8b81ac0af93526499a3fe90fc8186bd21a3b4417b4839b79421dd5b5ed13ebcac2fe97e5902fe2113b68a427531bb07783b929893e93e913c79179523c26bf317130231bd4f528987b48362f7544238e357ca242673427e2829b858c7cd1163edcc0b331393cd9171612364e06fc47a4ae94b1dc9ddcb0d2946b9e524146d9ab4b3cd013d68d8bd351cbca94e24b87aa9a257acf3bbd324b84ee71e7ece2b4d7ee774fdab09b7e85966e9b734d427922ce4c85b0ac21dcad23dced9c9daf1106e52ba52eeb2d983fad37e0b2c3bbb65fe72dd8afb3c17e570f603f8882600c549d96ddc37a2517cf3f561d9b4d3aee34bbdd9599b4d4f149efeca47f5bc798b66a1d999fd56b387ffcb12ad8d63831a0caf94627eeb7cf4f4b055ff07fecc63a9ad4fbb13f6a9997416bf26a8ba6ab7ddeb5ba496bc43769500a270bab74bbf6aa2c6fd0e0598d064fdaa5067be4a16e0e37060cfb9cc9559ac629218fd70d1367292b803bf824a9663c46e860d9c6a07100aaa132069099208a8c802c44aaa42fcabe03f15d2c4c061cc11e03945138d7bcf106382788273a824ac7cc4765287ed0e20760013af14bd5269261c45aab31539fc16a4469aac4597824331b83a04347eb280c103409e47c18ca0892b01a7e210dc908e84ca76eae4bd2d8cf1813133a23745f529fcad4bf9229fb4fa842126df0fa0d13becc5f6090558e186ad7c326a123ae0c571d054580c1b0a098a9b1ae622c6b73384c74c19fcd64305c1618ae1f93887cf895332a0a250fae0934dfcab1b7222b123023f11a18cb016d60756dc943a7c0438cd4c350923c77c0fc01ec3ec9020938a9bc8c68887c20a122c2aa40ad252aff0c3f83b9f8e6f93378c535924c8a3a4e47028eaf03b10ad367889ac8c5e626707f6d99fe905f5dc7f8eba5c41bca06a1f2b57448b9f143324901a591dd280c0bcd88bcb8183836031d6a6a2dc65ae1b9c519866cfb131cc618dde4623452cdde490306b278cbb9764affeeaa4f311088964285e0d02c6e58af8b1b82eaa10cc07092227dc0ced4b5d48af80c36c800df299f7b714ad1a681f049dbf033aa458ec58bccbccc1ec96c55d9abcaf91e01ac5e89c53f611725f22a4e90d0a09129b00863e10913152fd1e2af8eb8b8218565c6697071635a0d4a3da53b16354fab08c98a4b8e25ecb9dd25bf5b2dcbe268cd5ffe30d5dbaadebf76f90b065eb24dd3b2cdd248680b31116c59247e86267cf86d62459ef10444fab9714c73f2f2319a8463fce746bdaf76ceb6faeae79987011324a4e65865227a44d33d893fbee53439f3f09bea1bca759fa957cd801c279030d12bf1fbbfc52619c4efff3b1649065b151d4a29f06cdd8b28cdb62a0570c589cca54e569d8878cdc215377aea262eaa7951f22a2e8a698276f5aa70c5b4387af298bc271f877db5ea6b6fb5e4ae4d31ddad66fb3a4c627427ad510691b358636c4de922178a445cfc9a4b4746c52c321ea78b9b351573c1df2a52fb30513cb76cd7f4a670cd935e020886a956f8129273a22503f0606eaab0530a54b75eb0a2e77a55f4b7aa02b98c744083d1ff138974654dc10f8d1f89d9e226d5638d0c6bb25478a576362a234bc0bd32bbe92280437cbcaa001b9803a643c281fb06dfc7a6094ae9c354bdcc90bafd4f5c1b84ba87799c7cb2aa70e566ab8000ab4e4135d21d59f324afab5128a6c48d07907d6bf671cba03f35ca55cce57258b164932f2ce475f32ff5aad90e054e308f64333541c903b067e208e814d0144c2d6e60e58db2030f5275b31bb81bbd007aa4b972294a39f8f3f5c506a006b169199766ea5e1b136896021706be3862083a10dd53d7f8784d816bc5fa5b5a3c85170f7978aac3e9abd0f5b0d2d43dbd05059f9222e1dff9224c2e34ac2d0cca9d8070a011471abe49dfc2fc2c5040aff8855a17d83655f04a448f225803e70178bc82ba95799c634482918c28d165341753c0cc2df5cc76c7f846c239d3482f7e4d55c54710b56071a38d202adc47518141b652080e931b8a3022998adb1edf02993fbad80382a4aa2390d5f1cc23754db592a5aa2e7bc11e7064502c0173e21d8f691c93e70a7a18c9e0580400b4aca7408fc07d008ee2c57f051019b8bbf1a0b3c7392075c0b58921a9261ac7684267fc74b5e08eeebf25ec0bf72fe3770fef772fad3bff9eaefe10ebcc77b97ae7a27bdf04b4bb9fe5dad8e4660f98a78afcba8f9df81d32136a7e5fce1f26453dc4daf58addbae7e79f6c8e7216aab80e2c95e7924f2141ede0f7059ed8c3ede915b75083b0744bf930a9a525972cf2f3aabbd3e6ffdc0311ea488759b867283ccc57869560e86c080534e968c88ca283e3fbaef00864a91f5ffb0c658d8d133876306e5ec9f90081115fd2ea501e24bcf8839f57536e73ab02ef2004d85ae4431283921be7168b3d0b304c0e4a2b7baa301101e5c276aecbdd51b191938843045ac22c09cc9b2e7eb3809602a9c0e358419734ce380253f7caab6ab0d05a13fdf4625ea67cc83939c7cefb39fdf29b0d797ef7deb3f2037dfa594df075e9fdadfa55a9904a7aed6e9d98e3f1d820e76ecf50951a725b0d51572e701d49ac87605a1b44a0a9ae021ee56b72fc59707d6a2e37be3cdce7c387df2d732b35fd55a94448444a3217f1b8327b23ee908904d177c575fe79893e88e0859cae30532a498fbefbfcd963fab0c7cf58759cedf05a1625413699d062f7d822bf2b9029e284b21a125f4a1f56c01dcffe9454dccb3921b27246ed29dc28e64f6234925b1917f917472b2fc1786ca7f74e8a1b7d82629a4a7b4a718bdf9c5750dee2dc555d3a4d28ad2553fa979e2d3d6455d95fb94c45b33214aeddc7926a2d3d8d5d72f394454ce41a4792231edc5abaa55510d4d946c9ac507b563ccfb943313e82b23cb02364922e7e35c29bd2fa4535289122d167425d80d0107848e7093200647b440c26502caf7c38a2343dd30b8b7fc5d1447b5a05342ee132f87fe46bced9843e8ce2a4ad42fe8e96f217285f65d73549f8be61bda136aa29830e417d08eaaa4b1c62fa438de9db65f4e68af910d18788ae78c421a03fd480beb53e50b3147008e74338170e7188e60f359a372c7dd4af721c82fa10d46b5e7188ecb71dd9669a66d1e5f615cd1d97c8f6faccde6db5c5e517e288b7b4e78783e0bf7070f7643dc0ff70e792ded1d7705e662f9419d0e6dec58db7b881dedcc7a65c993bda7eeb169bfdd651f25dd03069ee0dc7f4d102f134a16dd35e1cd22ecfc68efb6ef62fd9071ce5b4a3b9aa48a43110a495e39c81f44135b34b35fabef4e20a9ff7a296bb31fdfb520ac3c7f7e32abb22a3f7a59a7212bea77e8a93422d4c45765e55101f1b5ad5107d8bd69e0c5614523d0eb4ff31a1d5f9e35d9e4f5a871d7fd6d7d4830e3c006d31cae3b768c2f12bfb15e8016b4fc8c9d633227c667dad69fb9eeea78abf6ca68bffd0b88f246384241301a1b81515acb2fef7c50dd9f615810de25f66f4834f9d011b015ed071a197d9e226df4790aa7c8f3ea6a27caba3db99b00e3f96de71a5e4e5702acdf40e0fb9b5c3f1e01d75ded1f983ba021249b87a10e390290e9962e91eb46b2650d1c44e779e6d2bbbc2bffffc5b519012ab27abdc81d0dda65028f4ce234f6a8d3e0d4dd565185be33686539566d33883e0b7f7c017e2ba3d167784c3fa11914324dccf701faedb2f8b8a2d5eb0c1e50f8ef009a44463a6c3944e83ee773804ea7ff6ec2f80f4e98cb830a23cfbbe6316eced70f093c967290fe5ce7ee6c36c382798cb531eb8df5ba0fc38bec88fe38b385111df920067a4243c9ad3ce48158cd77c7ba763fdf7845a4e0f13880e0e22a9f9240ef952a4ae89a7492a93292f58468f3019b8c705c336ce2c575d6bca5ade2fd02aceffef7dfc7949a276eadb74b0f86920c3cf7f1cac1cbbf5d026674d5fd29ebce2171feba3bfeb6370fb412aa7b792cb7caabc1560e5a961c79bd88bb93ab5229b44f73aa65a32bc773ceda78fba382a65307a128177c87af7f1ca0f5c144c1e012fb6de03f4bd7731e844671222485b2987c31e877dbfe52b4104ad2af3766f39436cf3cd140f22c173feec40098776f92f6ec298d2131d51a40c184774febb56983b7d6a5d982fbefedb333a89f95644f992e8fa99e041769480d0c4de52b869e67253d6acdedae2cef1e79f2df9852cba8ce2ab68205e64fec49d3ea551e6c46d93f633cff89202ea5b7f6c7f2797cc3f411519b34e7cba41662fd19f978765093030aa737972c0270e8acb6c0aac39a2894cad5fadb1f9e29afb4afcb4f205305aeefd5754d0451e4fb98a84a5ef777c0389254ca5f8f2914465aef7e2370ba66759ada6ae74d4e90c09c1cedf87c6f233e1c48ae13b792a0d04b0938c67459305f433f7b3c6f2eaa3c6d2f3a258a0b38ec6317f97e68bada0956fb597c6261edb4774df8ac120a486b541e254999d8629497737d0497344b03b95bef84a7fb1815219bdfb503b05b94dd45c302c29e518aa2083105515b95aed0d14f8b2a57a12819a486fcef9a9a4f4c39ffefcf526d1e8b60c351c39545fcf5449c89309e7d237f5173b6d09b0f55ae88efb87de49ccc566b8e37d531ba6fd0fe0c6a962e7c8dd97dcee7937d5964b7f6e5d43f599d0e395bd23cb65004c13f0e963da3a10643e1f9ed4ae805e9a007dad376d668920ef84993fe20babaa770f6dbab0ea33bafc66754748d59b019fc65cda951190e6ba75272af9e33d1f5b434de933e44aa5b5a8fdf87a8a478b1bd23a870d17fabfbcf93f7a1eee5da45a0000
\.


--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.schema_migrations (version, applied_at) FROM stdin;
1	2026-12-04 19:24:10.045005+00
2	2026-12-04 19:24:10.045005+00
3	2026-12-04 19:24:10.045005+00
4	2026-12-04 19:24:10.045005+00
5	2026-12-04 19:24:10.045005+00
6	2026-12-04 19:24:10.045005+00
7	2026-12-04 19:24:10.045005+00
8	2026-12-04 19:24:10.045005+00
9	2026-12-04 19:24:10.045005+00
10	2026-12-04 19:24:10.045005+00
11	2026-12-04 19:24:10.045005+00
12	2026-12-04 19:24:10.045005+00
13	2026-12-04 19:24:10.045005+00
14	2026-12-04 19:24:10.045005+00
15	2026-12-04 19:24:10.045005+00
\.


--
-- Data for Name: sessions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.sessions (hash, user_id, csrf, created_at, expires_at) FROM stdin;
\.


--
-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.users (id, login, role, region, finess, hash, created_at, disabled_at, failures, last_failure, email, lang) FROM stdin;
1	claire	regional	Île-de-France	\N	$y$j9T$fqrXC7pFPWasMnSCbQ5PB.$r.MVZJ0mLGVXk6tgJRqYqlE17.xYs.Ytgmhn2i/MypA	1796412250	\N	0	0		fr
\.


--
-- Name: alert_events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.alert_events_id_seq', 14, true);


--
-- Name: alerts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.alerts_id_seq', 14, true);


--
-- Name: audit_log_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_log_id_seq', 1, true);


--
-- Name: records_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.records_id_seq', 1, false);


--
-- Name: users_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.users_id_seq', 1, true);


--
-- Name: agents agents_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agents
    ADD CONSTRAINT agents_pkey PRIMARY KEY (id);


--
-- Name: alert_events alert_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alert_events
    ADD CONSTRAINT alert_events_pkey PRIMARY KEY (id);


--
-- Name: alert_groups alert_groups_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alert_groups
    ADD CONSTRAINT alert_groups_pkey PRIMARY KEY (status, finess, check_id);


--
-- Name: alerts alerts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alerts
    ADD CONSTRAINT alerts_pkey PRIMARY KEY (id);


--
-- Name: api_tokens api_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (hash);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);


--
-- Name: backup_jobs backup_jobs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.backup_jobs
    ADD CONSTRAINT backup_jobs_pkey PRIMARY KEY (finess, job);


--
-- Name: duties duties_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.duties
    ADD CONSTRAINT duties_pkey PRIMARY KEY (name);


--
-- Name: enrollment_tokens enrollment_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enrollment_tokens
    ADD CONSTRAINT enrollment_tokens_pkey PRIMARY KEY (hash);


--
-- Name: establishment_days establishment_days_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.establishment_days
    ADD CONSTRAINT establishment_days_pkey PRIMARY KEY (finess, day);


--
-- Name: establishments establishments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.establishments
    ADD CONSTRAINT establishments_pkey PRIMARY KEY (finess);


--
-- Name: login_throttle login_throttle_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.login_throttle
    ADD CONSTRAINT login_throttle_pkey PRIMARY KEY (key);


--
-- Name: machine_days machine_days_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.machine_days
    ADD CONSTRAINT machine_days_pkey PRIMARY KEY (agent_id, day);


--
-- Name: notify_state notify_state_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notify_state
    ADD CONSTRAINT notify_state_pkey PRIMARY KEY (name);


--
-- Name: policies policies_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.policies
    ADD CONSTRAINT policies_pkey PRIMARY KEY (finess);


--
-- Name: records records_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.records
    ADD CONSTRAINT records_pkey PRIMARY KEY (id);


--
-- Name: reports reports_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reports
    ADD CONSTRAINT reports_pkey PRIMARY KEY (agent_id, report_id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (hash);


--
-- Name: users users_login_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_login_key UNIQUE (login);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: agents_finess; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX agents_finess ON public.agents USING btree (finess);


--
-- Name: alerts_finess; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX alerts_finess ON public.alerts USING btree (finess, status);


--
-- Name: alerts_groups; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX alerts_groups ON public.alerts USING btree (status, check_id, finess, agent_id, severity, opened_at);


--
-- Name: alerts_live; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX alerts_live ON public.alerts USING btree (agent_id, check_id, subject) WHERE (status <> 'resolved'::text);


--
-- Name: alerts_place; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX alerts_place ON public.alerts USING btree (finess, status, severity, opened_at, id);


--
-- Name: alerts_rank; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX alerts_rank ON public.alerts USING btree (status, severity, opened_at, id);


--
-- Name: alerts_site_live; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX alerts_site_live ON public.alerts USING btree (finess, check_id, subject) WHERE ((agent_id IS NULL) AND (status <> 'resolved'::text));


--
-- Name: alerts_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX alerts_status ON public.alerts USING btree (status, severity);


--
-- Name: establishments_region; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX establishments_region ON public.establishments USING btree (region, department);


--
-- Name: records_finess; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX records_finess ON public.records USING btree (finess, kind, day);


--
-- Name: reports_seq; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX reports_seq ON public.reports USING btree (agent_id, seq);


--
-- Name: sessions_user; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sessions_user ON public.sessions USING btree (user_id);


--
-- Name: alerts alert_groups_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER alert_groups_insert AFTER INSERT OR DELETE ON public.alerts FOR EACH ROW EXECUTE FUNCTION public.alert_groups_change();


--
-- Name: alerts alert_groups_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER alert_groups_update AFTER UPDATE OF status, finess, check_id, severity, agent_id, opened_at ON public.alerts FOR EACH ROW WHEN ((((old.status <> 'resolved'::text) OR (new.status <> 'resolved'::text)) AND ((old.status IS DISTINCT FROM new.status) OR (old.finess IS DISTINCT FROM new.finess) OR (old.check_id IS DISTINCT FROM new.check_id) OR (old.severity IS DISTINCT FROM new.severity) OR (old.agent_id IS DISTINCT FROM new.agent_id) OR (old.opened_at IS DISTINCT FROM new.opened_at)))) EXECUTE FUNCTION public.alert_groups_change();


--
-- Name: alerts alerts_events; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER alerts_events AFTER INSERT OR UPDATE OF status ON public.alerts FOR EACH ROW EXECUTE FUNCTION public.alert_event();


--
-- Name: agents agents_finess_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agents
    ADD CONSTRAINT agents_finess_fkey FOREIGN KEY (finess) REFERENCES public.establishments(finess);


--
-- Name: alerts alerts_agent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alerts
    ADD CONSTRAINT alerts_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES public.agents(id);


--
-- Name: alerts alerts_finess_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alerts
    ADD CONSTRAINT alerts_finess_fkey FOREIGN KEY (finess) REFERENCES public.establishments(finess);


--
-- Name: backup_jobs backup_jobs_finess_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.backup_jobs
    ADD CONSTRAINT backup_jobs_finess_fkey FOREIGN KEY (finess) REFERENCES public.establishments(finess);


--
-- Name: enrollment_tokens enrollment_tokens_finess_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enrollment_tokens
    ADD CONSTRAINT enrollment_tokens_finess_fkey FOREIGN KEY (finess) REFERENCES public.establishments(finess);


--
-- Name: establishment_days establishment_days_finess_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.establishment_days
    ADD CONSTRAINT establishment_days_finess_fkey FOREIGN KEY (finess) REFERENCES public.establishments(finess);


--
-- Name: machine_days machine_days_agent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.machine_days
    ADD CONSTRAINT machine_days_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES public.agents(id);


--
-- Name: records records_finess_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.records
    ADD CONSTRAINT records_finess_fkey FOREIGN KEY (finess) REFERENCES public.establishments(finess);


--
-- Name: reports reports_agent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reports
    ADD CONSTRAINT reports_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES public.agents(id);


--
-- Name: sessions sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: users users_finess_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_finess_fkey FOREIGN KEY (finess) REFERENCES public.establishments(finess);


--
-- PostgreSQL database dump complete
--

\unrestrict owNn1VJkGefXHI88LuawvvgbF4WezrspsG4vimcT4qhZw4X5bzasM5qmXS78gFb

