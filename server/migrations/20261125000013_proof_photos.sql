-- Self-reported tasks carry a photo as proof. A photo proves one event: proof_event_id is set
-- once, to `{user id}:{event id}`, when an event claims it; a photo that proves an event is not
-- also taken by a post, nor a post's photo by an event.
ALTER TABLE photos ADD COLUMN proof_event_id TEXT NULL;
