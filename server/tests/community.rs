//! The community on SQLite and PostgreSQL: groups, photo uploads through the image pipeline,
//! posts and family stories, the chronological feed and its cursor, comments, reactions, expert
//! sessions, reports with the moderation queue, and blocks — each with its bad inputs.

#[macro_use]
mod common;

use common::{Running, TestDb, jpeg};
use hearth_core::community::{
    CommentPage, ExpertSession, FeedPage, Group, ModerationQueue, Photo, Post, Report,
};
use hearth_server::Config;
use reqwest::Method;
use serde_json::{Value, json};

struct User {
    id: String,
    token: String,
}

async fn start(db: &TestDb) -> Running {
    let mut config = Config::for_database(db.url());
    config.auth_burst = 1000;
    Running::start_with(config).await
}

async fn user(server: &Running, email: &str) -> User {
    let signed = server.sign_up(email, json!({})).await;
    User { id: signed.profile.id, token: signed.session.token }
}

async fn operator(server: &Running, email: &str) -> User {
    let user = user(server, email).await;
    sqlx::query("UPDATE users SET role = 'operator' WHERE id = $1")
        .bind(&user.id)
        .execute(server.db().pool())
        .await
        .expect("make operator");
    user
}

async fn call(server: &Running, method: Method, path: &str, who: &User, body: Option<Value>) -> (u16, Value) {
    server.call(method, path, &who.token, body).await
}

fn parse<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the documented shape")
}

fn error_code(value: &Value) -> (&str, Option<&str>) {
    (value["error"]["code"].as_str().unwrap_or_default(), value["error"]["field"].as_str())
}

async fn post(server: &Running, who: &User, body: Value) -> Post {
    let (status, value) = call(server, Method::POST, "/v1/posts", who, Some(body)).await;
    assert_eq!(status, 201, "{value}");
    parse(value)
}

async fn feed(server: &Running, who: &User, query: &str) -> FeedPage {
    let (status, value) = call(server, Method::GET, &format!("/v1/feed{query}"), who, None).await;
    assert_eq!(status, 200, "{value}");
    parse(value)
}

fn feed_ids(page: &FeedPage) -> Vec<&str> {
    page.posts.iter().map(|p| p.id.as_str()).collect()
}

async fn upload(server: &Running, who: &User, bytes: Vec<u8>, content_type: &str) -> (u16, Value) {
    server.upload_photo(&who.token, bytes, content_type).await
}

async fn download(server: &Running, who: &User, path: &str) -> (u16, Vec<u8>, String) {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", server.base))
        .bearer_auth(&who.token)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (status, response.bytes().await.expect("body").to_vec(), content_type)
}

async fn groups_are_made_by_operators_and_joined_by_anyone(db: TestDb) {
    let server = start(&db).await;
    let op = operator(&server, "op@example.com").await;
    let ann = user(&server, "ann@example.com").await;
    let body = json!({ "name": "节能达人", "description": "Saving energy at home" });
    let (status, value) = call(&server, Method::POST, "/v1/groups", &ann, Some(body.clone())).await;
    assert_eq!((status, error_code(&value).0), (403, "forbidden"));
    let (status, value) = call(&server, Method::POST, "/v1/groups", &op, Some(body.clone())).await;
    assert_eq!(status, 201, "{value}");
    let group: Group = parse(value);
    assert_eq!((group.name.as_str(), group.member_count, group.joined), ("节能达人", 0, false));
    let (status, value) = call(&server, Method::POST, "/v1/groups", &op, Some(body)).await;
    assert_eq!((status, error_code(&value)), (409, ("taken", Some("name"))));
    let (status, value) = call(&server, Method::POST, "/v1/groups", &op, Some(json!({ "name": "  " }))).await;
    assert_eq!((status, error_code(&value)), (422, ("invalid-field", Some("name"))));

    let path = format!("/v1/groups/{}/membership", group.id);
    for _ in 0..2 {
        let (status, value) = call(&server, Method::PUT, &path, &ann, None).await;
        assert_eq!(status, 200, "{value}");
        let joined: Group = parse(value);
        assert_eq!((joined.member_count, joined.joined), (1, true), "joining twice counts once");
    }
    let (status, value) = call(&server, Method::GET, "/v1/groups", &ann, None).await;
    assert_eq!(status, 200);
    let groups: Vec<Group> = parse(value);
    assert_eq!((groups.len(), groups[0].joined), (1, true));
    for _ in 0..2 {
        assert_eq!(call(&server, Method::DELETE, &path, &ann, None).await.0, 204);
    }
    let (_, value) = call(&server, Method::GET, "/v1/groups", &ann, None).await;
    let groups: Vec<Group> = parse(value);
    assert_eq!((groups[0].member_count, groups[0].joined), (0, false), "leaving twice counts once");
    let (status, _) = call(&server, Method::PUT, "/v1/groups/nope/membership", &ann, None).await;
    assert_eq!(status, 404);
    server.stop().await;
    db.drop_database().await;
}

async fn photos_are_checked_turned_upright_stripped_and_shown_only_to_those_allowed(db: TestDb) {
    let server = start(&db).await;
    let ann = user(&server, "ann@example.com").await;
    let bob = user(&server, "bob@example.com").await;

    // Not an image, a GIF, a truncated JPEG, an empty body, an oversized body.
    let (status, value) = upload(&server, &ann, b"just some text".to_vec(), "image/jpeg").await;
    assert_eq!((status, error_code(&value)), (422, ("bad-image", Some("photo"))), "{value}");
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
    let (status, value) = upload(&server, &ann, gif, "image/gif").await;
    assert_eq!(status, 422);
    assert!(value["error"]["message"].as_str().unwrap_or_default().contains("JPEG, PNG or WebP"), "{value}");
    let mut damaged = jpeg(400, 300, false);
    let sof = damaged.windows(2).position(|w| w == [0xFF, 0xC0]).expect("a baseline frame");
    damaged[sof + 4..sof + 12].fill(0);
    let (status, value) = upload(&server, &ann, damaged, "image/jpeg").await;
    assert_eq!((status, error_code(&value).0), (422, "bad-image"), "{value}");
    let (status, _) = upload(&server, &ann, Vec::new(), "image/jpeg").await;
    assert_eq!(status, 422);
    let (status, value) = upload(&server, &ann, vec![0xFF; 21 * 1024 * 1024], "image/jpeg").await;
    assert_eq!((status, error_code(&value).0), (413, "payload-too-large"), "{value}");

    // A real photo: a 3000×1200 landscape whose EXIF says it was taken in portrait.
    let (status, value) = upload(&server, &ann, jpeg(3000, 1200, true), "image/jpeg").await;
    assert_eq!(status, 201, "{value}");
    let photo: Photo = parse(value);
    assert_eq!((photo.width, photo.height), (819, 2048), "turned upright and scaled to 2048 px");
    assert_eq!((photo.thumb_width, photo.thumb_height), (160, 400));
    let (status, bytes, content_type) = download(&server, &ann, &format!("/v1/photos/{}", photo.id)).await;
    assert_eq!((status, content_type.as_str()), (200, "image/jpeg"));
    assert!(
        !bytes.windows(4).any(|w| w == b"Exif") && !bytes.windows(3).any(|w| w == b"GPS"),
        "metadata stripped"
    );
    let decoded = image::load_from_memory(&bytes).expect("a JPEG");
    assert_eq!((decoded.width(), decoded.height()), (819, 2048));
    let (status, thumb, _) = download(&server, &ann, &format!("/v1/photos/{}/thumbnail", photo.id)).await;
    assert_eq!(status, 200);
    assert_eq!(image::load_from_memory(&thumb).expect("a JPEG").height(), 400);
    assert!(server.media_dir().join(format!("{}.jpg", photo.id)).is_file());

    // Nobody else sees an unposted photo; once posted, whoever sees the post sees it.
    let (status, _, _) = download(&server, &bob, &format!("/v1/photos/{}", photo.id)).await;
    assert_eq!(status, 404);
    let (status, value) =
        call(&server, Method::POST, "/v1/posts", &bob, Some(json!({ "photoIds": [photo.id] }))).await;
    assert_eq!(
        (status, error_code(&value)),
        (422, ("invalid-field", Some("photoIds[0]"))),
        "not bob's photo"
    );
    let posted = post(&server, &ann, json!({ "text": "新灯装好了", "photoIds": [photo.id] })).await;
    assert_eq!(posted.photos, vec![photo.clone()]);
    let (status, _, _) = download(&server, &bob, &format!("/v1/photos/{}/thumbnail", photo.id)).await;
    assert_eq!(status, 200);
    let (status, value) =
        call(&server, Method::POST, "/v1/posts", &ann, Some(json!({ "photoIds": [photo.id] }))).await;
    assert_eq!(
        (status, error_code(&value).1),
        (422, Some("photoIds[0]")),
        "a photo goes on one post: {value}"
    );

    // Deleting the post deletes the photo, files and all.
    let (status, _) = call(&server, Method::DELETE, &format!("/v1/posts/{}", posted.id), &bob, None).await;
    assert_eq!(status, 403, "only the author deletes");
    let (status, _) = call(&server, Method::DELETE, &format!("/v1/posts/{}", posted.id), &ann, None).await;
    assert_eq!(status, 204);
    let (status, _, _) = download(&server, &ann, &format!("/v1/photos/{}", photo.id)).await;
    assert_eq!(status, 404);
    for _ in 0..50 {
        if !server.media_dir().join(format!("{}.jpg", photo.id)).exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(!server.media_dir().join(format!("{}.jpg", photo.id)).exists(), "the file is gone");
    server.stop().await;
    db.drop_database().await;
}

/// Uploads `bytes` as `who` under the idempotency key `key`.
async fn upload_keyed(server: &Running, who: &User, key: &str, bytes: Vec<u8>) -> (u16, Value) {
    server.upload_photo_keyed(&who.token, bytes, "image/jpeg", Some(key)).await
}

async fn an_upload_sent_again_under_its_key_is_stored_once(db: TestDb) {
    let server = start(&db).await;
    let ann = user(&server, "ann@example.com").await;
    let bob = user(&server, "bob@example.com").await;
    let key = "0190f0a4-7c6e-7b1a-9a51-3d2f4c5e6a7b";
    let (status, value) = upload_keyed(&server, &ann, "not a uuid", jpeg(400, 300, false)).await;
    assert_eq!((status, error_code(&value)), (422, ("invalid-field", Some("idempotency-key"))), "{value}");

    let (status, first) = upload_keyed(&server, &ann, key, jpeg(400, 300, false)).await;
    assert_eq!(status, 201, "{first}");
    let first: Photo = parse(first);
    // The answer was lost: the device sends the same photo again, and gets the same one back.
    let (status, again) = upload_keyed(&server, &ann, key, jpeg(400, 300, false)).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(parse::<Photo>(again), first);
    let files = std::fs::read_dir(server.media_dir()).expect("media").count();
    assert_eq!(files, 2, "one photo and its thumbnail");
    // Keys are the owner's: another user's same key is another photo.
    let (status, theirs) = upload_keyed(&server, &bob, key, jpeg(400, 300, false)).await;
    assert_eq!(status, 201, "{theirs}");
    assert_ne!(parse::<Photo>(theirs).id, first.id);
    // Without a key every upload is a new photo.
    let (a, _) = upload(&server, &ann, jpeg(400, 300, false), "image/jpeg").await;
    let (b, _) = upload(&server, &ann, jpeg(400, 300, false), "image/jpeg").await;
    assert_eq!((a, b), (201, 201));
    server.stop().await;
    db.drop_database().await;
}

async fn posts_check_their_fields(db: TestDb) {
    let server = start(&db).await;
    let op = operator(&server, "op@example.com").await;
    let ann = user(&server, "ann@example.com").await;
    let cases = [
        (json!({}), "text"),
        (json!({ "text": "x".repeat(2001) }), "text"),
        (
            json!({ "text": "hi", "photoIds": (0..10).map(|i| format!("p{i}")).collect::<Vec<_>>() }),
            "photoIds",
        ),
        (json!({ "text": "hi", "photoIds": ["a", "a"] }), "photoIds[1]"),
        (json!({ "text": "hi", "groupId": "nope" }), "groupId"),
        (json!({ "text": "hi", "kind": "story" }), "kind"),
        (json!({ "text": "hi", "kind": "poem" }), "kind"),
        (json!({ "text": 5 }), "text"),
        (json!({ "text": "hi", "extra": 1 }), "extra"),
    ];
    for (body, field) in cases {
        let (status, value) = call(&server, Method::POST, "/v1/posts", &ann, Some(body.clone())).await;
        assert_eq!((status, error_code(&value).1), (422, Some(field)), "{body} → {value}");
    }
    let (status, value) =
        call(&server, Method::POST, "/v1/groups", &op, Some(json!({ "name": "Lamps" }))).await;
    assert_eq!(status, 201);
    let group: Group = parse(value);
    let (status, value) =
        call(&server, Method::POST, "/v1/posts", &ann, Some(json!({ "text": "hi", "groupId": group.id })))
            .await;
    assert_eq!((status, error_code(&value).1), (422, Some("groupId")), "members only: {value}");
    let (status, _, _) = server.send(Method::POST, "/v1/posts", Some(&ann.token), Some("{\"text\": ")).await;
    assert_eq!(status, 400, "malformed JSON");
    let (status, _, _) = server.send(Method::POST, "/v1/posts", None, Some("{\"text\": \"hi\"}")).await;
    assert_eq!(status, 401);
    let (status, _) = call(&server, Method::GET, "/v1/posts/nope", &ann, None).await;
    assert_eq!(status, 404);
    server.stop().await;
    db.drop_database().await;
}

async fn the_feed_is_chronological_scoped_and_paged_by_cursor(db: TestDb) {
    let server = start(&db).await;
    let op = operator(&server, "op@example.com").await;
    let (_, value) = call(&server, Method::POST, "/v1/groups", &op, Some(json!({ "name": "Lamps" }))).await;
    let lamps: Group = parse(value);
    let members = [user(&server, "a@example.com").await, user(&server, "b@example.com").await];
    let outsider = user(&server, "c@example.com").await;
    for member in &members {
        call(&server, Method::PUT, &format!("/v1/groups/{}/membership", lamps.id), member, None).await;
    }
    // 25 posts alternating authors: public ones and, every fifth, one in the group.
    let mut expected = Vec::new();
    for i in 0..25 {
        let body = if i % 5 == 0 {
            json!({ "text": format!("group post {i}"), "groupId": lamps.id })
        } else {
            json!({ "text": format!("post {i}") })
        };
        expected.push(post(&server, &members[i % 2], body).await.id);
    }
    expected.reverse(); // newest first

    let first = feed(&server, &members[0], "").await;
    assert_eq!(first.posts.len(), 20);
    let cursor = first.next_cursor.clone().expect("more pages");
    let second = feed(&server, &members[0], &format!("?before={cursor}")).await;
    assert_eq!(second.posts.len(), 5);
    assert_eq!(second.next_cursor, None, "the last page says so");
    let all: Vec<&str> = feed_ids(&first).into_iter().chain(feed_ids(&second)).collect();
    assert_eq!(all, expected.iter().map(String::as_str).collect::<Vec<_>>(), "newest first, each once");
    // A post published between pages neither repeats nor shifts what the cursor already saw.
    post(&server, &members[1], json!({ "text": "late" })).await;
    let again = feed(&server, &members[0], &format!("?before={cursor}")).await;
    assert_eq!(feed_ids(&again), feed_ids(&second));

    // The group's own feed; a non-member's home feed leaves group posts out.
    let group_feed = feed(&server, &outsider, &format!("?group={}&limit=50", lamps.id)).await;
    assert_eq!(group_feed.posts.len(), 5);
    assert!(group_feed.posts.iter().all(|p| p.group_id.as_deref() == Some(lamps.id.as_str())));
    let outsider_feed = feed(&server, &outsider, "?limit=50").await;
    assert_eq!(outsider_feed.posts.len(), 21, "20 public posts and the late one");
    assert!(outsider_feed.posts.iter().all(|p| p.group_id.is_none()));

    for (query, field) in [
        ("?before=not-a-cursor", "before"),
        ("?limit=0", "limit"),
        ("?limit=51", "limit"),
        ("?limit=ten", "limit"),
    ] {
        let (status, value) =
            call(&server, Method::GET, &format!("/v1/feed{query}"), &members[0], None).await;
        assert_eq!((status, error_code(&value).1), (422, Some(field)), "{query}: {value}");
    }
    server.stop().await;
    db.drop_database().await;
}

async fn family_stories_stay_in_the_household(db: TestDb) {
    let server = start(&db).await;
    let owner = user(&server, "owner@example.com").await;
    let grandma = user(&server, "grandma@example.com").await;
    let stranger = user(&server, "stranger@example.com").await;
    let (status, _) =
        call(&server, Method::POST, "/v1/households", &owner, Some(json!({ "name": "王家" }))).await;
    assert_eq!(status, 201);
    let (_, invite) =
        call(&server, Method::POST, "/v1/households/mine/invites", &owner, Some(json!({ "role": "senior" })))
            .await;
    let (status, _) =
        call(&server, Method::POST, "/v1/households/join", &grandma, Some(json!({ "code": invite["code"] })))
            .await;
    assert_eq!(status, 200);

    let story = post(&server, &grandma, json!({ "kind": "story", "text": "今天学会了用智能插座" })).await;
    assert_eq!(feed_ids(&feed(&server, &owner, "").await), vec![story.id.as_str()]);
    assert!(feed(&server, &stranger, "").await.posts.is_empty());
    let (status, _) = call(&server, Method::GET, &format!("/v1/posts/{}", story.id), &stranger, None).await;
    assert_eq!(status, 404, "a stranger cannot open it by id either");
    let (status, _) = call(
        &server,
        Method::POST,
        &format!("/v1/posts/{}/comments", story.id),
        &stranger,
        Some(json!({ "text": "hi" })),
    )
    .await;
    assert_eq!(status, 404);
    server.stop().await;
    db.drop_database().await;
}

async fn comments_and_reactions_keep_their_counts(db: TestDb) {
    let server = start(&db).await;
    let ann = user(&server, "ann@example.com").await;
    let bob = user(&server, "bob@example.com").await;
    let first = post(&server, &ann, json!({ "text": "Eco mode all week" })).await;
    let comments_path = format!("/v1/posts/{}/comments", first.id);
    let mut ids = Vec::new();
    for i in 0..3 {
        let (status, value) = call(
            &server,
            Method::POST,
            &comments_path,
            &bob,
            Some(json!({ "text": format!("well done {i}") })),
        )
        .await;
        assert_eq!(status, 201, "{value}");
        ids.push(value["id"].as_str().expect("id").to_owned());
    }
    for body in [json!({ "text": "" }), json!({ "text": "x".repeat(501) })] {
        let (status, value) = call(&server, Method::POST, &comments_path, &bob, Some(body)).await;
        assert_eq!((status, error_code(&value).1), (422, Some("text")));
    }
    let (_, value) = call(&server, Method::GET, &format!("{comments_path}?limit=2"), &ann, None).await;
    let page: CommentPage = parse(value);
    assert_eq!(page.comments.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), vec![&ids[0], &ids[1]]);
    let next = page.next_cursor.expect("another page");
    let (_, value) = call(&server, Method::GET, &format!("{comments_path}?after={next}"), &ann, None).await;
    let page: CommentPage = parse(value);
    assert_eq!((page.comments.len(), page.next_cursor), (1, None));

    // The post's author may remove a comment on it; a stranger may not.
    let carl = user(&server, "carl@example.com").await;
    let (status, _) = call(&server, Method::DELETE, &format!("/v1/comments/{}", ids[0]), &carl, None).await;
    assert_eq!(status, 403);
    let (status, _) = call(&server, Method::DELETE, &format!("/v1/comments/{}", ids[0]), &ann, None).await;
    assert_eq!(status, 204);
    let (status, _) = call(&server, Method::DELETE, &format!("/v1/comments/{}", ids[0]), &ann, None).await;
    assert_eq!(status, 404, "gone");

    let reaction = format!("/v1/posts/{}/reaction", first.id);
    let (status, value) = call(&server, Method::PUT, &reaction, &bob, Some(json!({ "kind": "like" }))).await;
    assert_eq!(status, 200, "{value}");
    let (_, value) = call(&server, Method::PUT, &reaction, &bob, Some(json!({ "kind": "cheer" }))).await;
    let seen: Post = parse(value);
    assert_eq!((seen.reactions.like, seen.reactions.cheer, seen.comment_count), (0, 1, 2));
    assert_eq!(seen.my_reaction, Some(hearth_core::community::ReactionKind::Cheer));
    call(&server, Method::PUT, &reaction, &carl, Some(json!({ "kind": "cheer" }))).await;
    let (status, value) = call(&server, Method::PUT, &reaction, &carl, Some(json!({ "kind": "wow" }))).await;
    assert_eq!((status, error_code(&value).1), (422, Some("kind")));
    assert_eq!(call(&server, Method::DELETE, &reaction, &bob, None).await.0, 204);
    assert_eq!(call(&server, Method::DELETE, &reaction, &bob, None).await.0, 204, "removing twice is fine");
    let (_, value) = call(&server, Method::GET, &format!("/v1/posts/{}", first.id), &ann, None).await;
    let seen: Post = parse(value);
    assert_eq!((seen.reactions.cheer, seen.my_reaction), (1, None));
    let (status, _) =
        call(&server, Method::PUT, "/v1/posts/nope/reaction", &bob, Some(json!({ "kind": "like" }))).await;
    assert_eq!(status, 404);
    server.stop().await;
    db.drop_database().await;
}

async fn reports_hold_content_until_an_operator_decides(db: TestDb) {
    let server = start(&db).await;
    let op = operator(&server, "op@example.com").await;
    let author = user(&server, "author@example.com").await;
    let mut reporters = Vec::new();
    for i in 0..3 {
        reporters.push(user(&server, &format!("r{i}@example.com")).await);
    }
    let spam = post(&server, &author, json!({ "text": "Buy cheap bulbs at example.invalid" })).await;
    let fine = post(&server, &author, json!({ "text": "Our curtains open at sunrise now" })).await;
    let report = |id: &str| json!({ "targetKind": "post", "targetId": id, "reason": "spam" });

    let (status, value) = call(&server, Method::POST, "/v1/reports", &author, Some(report(&spam.id))).await;
    assert_eq!((status, error_code(&value).1), (422, Some("targetId")), "not one's own");
    let other = json!({ "targetKind": "post", "targetId": spam.id, "reason": "other" });
    let (status, value) = call(&server, Method::POST, "/v1/reports", &reporters[0], Some(other)).await;
    assert_eq!((status, error_code(&value).1), (422, Some("note")), "`other` needs a note");
    let (status, _) = call(&server, Method::POST, "/v1/reports", &reporters[0], Some(report("nope"))).await;
    assert_eq!(status, 404);
    for (i, reporter) in reporters.iter().enumerate() {
        for target in [&spam.id, &fine.id] {
            let (status, value) =
                call(&server, Method::POST, "/v1/reports", reporter, Some(report(target))).await;
            assert_eq!(status, 201, "{value}");
            // Two reports leave a post in the feed; the third holds it for review.
            let visible = feed_ids(&feed(&server, &op, "").await).contains(&target.as_str());
            assert_eq!(visible, i < 2, "after {} reports", i + 1);
        }
    }
    let (status, value) =
        call(&server, Method::POST, "/v1/reports", &reporters[0], Some(report(&spam.id))).await;
    assert_eq!(status, 200, "a repeated report is the same report");
    let _: Report = parse(value);
    let own = feed(&server, &author, "").await;
    assert!(own.posts.iter().all(|p| p.held_for_review), "the author still sees both, marked held");

    let (status, _) = call(&server, Method::GET, "/v1/moderation/queue", &author, None).await;
    assert_eq!(status, 403);
    let (status, value) = call(&server, Method::GET, "/v1/moderation/queue", &op, None).await;
    assert_eq!(status, 200);
    let queue: ModerationQueue = parse(value);
    assert_eq!(queue.items.len(), 2);
    assert!(queue.items.iter().all(|item| item.reports.len() == 3 && item.held_for_review));

    let decide =
        |id: &str, decision: &str| json!({ "targetKind": "post", "targetId": id, "decision": decision });
    let (status, _) =
        call(&server, Method::POST, "/v1/moderation/decisions", &author, Some(decide(&spam.id, "remove")))
            .await;
    assert_eq!(status, 403);
    assert_eq!(
        call(&server, Method::POST, "/v1/moderation/decisions", &op, Some(decide(&spam.id, "remove")))
            .await
            .0,
        204
    );
    assert_eq!(
        call(&server, Method::POST, "/v1/moderation/decisions", &op, Some(decide(&fine.id, "dismiss")))
            .await
            .0,
        204
    );
    let (status, _) =
        call(&server, Method::POST, "/v1/moderation/decisions", &op, Some(decide(&fine.id, "dismiss"))).await;
    assert_eq!(status, 404, "nothing left open");
    assert_eq!(feed_ids(&feed(&server, &reporters[0], "").await), vec![fine.id.as_str()]);
    assert_eq!(
        feed_ids(&feed(&server, &author, "").await),
        vec![fine.id.as_str()],
        "removed for its author too"
    );
    let (_, value) = call(&server, Method::GET, "/v1/moderation/queue", &op, None).await;
    assert!(parse::<ModerationQueue>(value).items.is_empty());
    server.stop().await;
    db.drop_database().await;
}

async fn blocking_hides_both_ways(db: TestDb) {
    let server = start(&db).await;
    let ann = user(&server, "ann@example.com").await;
    let troll = user(&server, "troll@example.com").await;
    let by_ann = post(&server, &ann, json!({ "text": "Sunrise routine done" })).await;
    let by_troll = post(&server, &troll, json!({ "text": "lol" })).await;
    let (status, _) = call(
        &server,
        Method::POST,
        &format!("/v1/posts/{}/comments", by_ann.id),
        &troll,
        Some(json!({ "text": "meh" })),
    )
    .await;
    assert_eq!(status, 201);

    assert_eq!(call(&server, Method::PUT, &format!("/v1/blocks/{}", troll.id), &ann, None).await.0, 204);
    assert_eq!(call(&server, Method::PUT, &format!("/v1/blocks/{}", troll.id), &ann, None).await.0, 204);
    assert_eq!(feed_ids(&feed(&server, &ann, "").await), vec![by_ann.id.as_str()]);
    assert_eq!(feed_ids(&feed(&server, &troll, "").await), vec![by_troll.id.as_str()]);
    let (_, value) =
        call(&server, Method::GET, &format!("/v1/posts/{}/comments", by_ann.id), &ann, None).await;
    assert!(parse::<CommentPage>(value).comments.is_empty(), "the blocked user's comments are hidden");
    let (status, _) = call(
        &server,
        Method::POST,
        &format!("/v1/posts/{}/comments", by_ann.id),
        &troll,
        Some(json!({ "text": "hey" })),
    )
    .await;
    assert_eq!(status, 404, "the blocked user cannot reach the post");
    let (status, value) = call(&server, Method::GET, "/v1/blocks", &ann, None).await;
    assert_eq!((status, value.as_array().map(Vec::len)), (200, Some(1)));

    let (status, value) = call(&server, Method::PUT, &format!("/v1/blocks/{}", ann.id), &ann, None).await;
    assert_eq!((status, error_code(&value).1), (422, Some("userId")));
    assert_eq!(call(&server, Method::PUT, "/v1/blocks/nobody", &ann, None).await.0, 404);
    assert_eq!(call(&server, Method::DELETE, &format!("/v1/blocks/{}", troll.id), &ann, None).await.0, 204);
    assert_eq!(feed(&server, &ann, "").await.posts.len(), 2);
    server.stop().await;
    db.drop_database().await;
}

async fn expert_sessions_never_overbook(db: TestDb) {
    let server = start(&db).await;
    let op = operator(&server, "op@example.com").await;
    let starts = hearth_server::now_ms() + 86_400_000;
    let body = |capacity: u32, starts_at_ms: i64| {
        json!({ "title": "Heating in winter", "expertName": "Li Wei", "startsAtMs": starts_at_ms,
                "durationMinutes": 45, "capacity": capacity })
    };
    let consumer = user(&server, "c@example.com").await;
    let (status, _) =
        call(&server, Method::POST, "/v1/expert-sessions", &consumer, Some(body(2, starts))).await;
    assert_eq!(status, 403);
    for (bad, field) in [(body(2, 1_000), "startsAtMs"), (body(0, starts), "capacity")] {
        let (status, value) = call(&server, Method::POST, "/v1/expert-sessions", &op, Some(bad)).await;
        assert_eq!((status, error_code(&value).1), (422, Some(field)));
    }
    let (status, value) =
        call(&server, Method::POST, "/v1/expert-sessions", &op, Some(body(2, starts))).await;
    assert_eq!(status, 201, "{value}");
    let session: ExpertSession = parse(value);

    // Six people race for two places.
    let mut people = Vec::new();
    for i in 0..6 {
        people.push(user(&server, &format!("p{i}@example.com")).await);
    }
    let path = format!("/v1/expert-sessions/{}/rsvp", session.id);
    let results =
        futures::future::join_all(people.iter().map(|p| call(&server, Method::PUT, &path, p, None))).await;
    let statuses: Vec<u16> = results.iter().map(|(s, _)| *s).collect();
    assert_eq!(statuses.iter().filter(|&&s| s == 200).count(), 2, "{statuses:?}");
    assert!(results.iter().all(|(s, v)| *s == 200 || error_code(v).0 == "session-full"), "{results:?}");
    let winner = people.iter().zip(&statuses).find(|(_, s)| **s == 200).map(|(p, _)| p).expect("a winner");
    let (status, value) = call(&server, Method::PUT, &path, winner, None).await;
    assert_eq!((status, value["attendingCount"].as_u64()), (200, Some(2)), "asking twice keeps one place");
    assert_eq!(call(&server, Method::DELETE, &path, winner, None).await.0, 204);
    let (_, value) = call(&server, Method::GET, "/v1/expert-sessions", &consumer, None).await;
    let listed: Vec<ExpertSession> = parse(value);
    assert_eq!((listed.len(), listed[0].attending_count), (1, 1));
    let (status, value) = call(&server, Method::PUT, &path, &consumer, None).await;
    assert_eq!((status, value["attending"].as_bool()), (200, Some(true)), "the freed place");
    assert_eq!(call(&server, Method::PUT, "/v1/expert-sessions/nope/rsvp", &consumer, None).await.0, 404);
    server.stop().await;
    db.drop_database().await;
}

on_both_databases!(
    groups_are_made_by_operators_and_joined_by_anyone,
    photos_are_checked_turned_upright_stripped_and_shown_only_to_those_allowed,
    an_upload_sent_again_under_its_key_is_stored_once,
    posts_check_their_fields,
    the_feed_is_chronological_scoped_and_paged_by_cursor,
    family_stories_stay_in_the_household,
    comments_and_reactions_keep_their_counts,
    reports_hold_content_until_an_operator_decides,
    blocking_hides_both_ways,
    expert_sessions_never_overbook,
);
