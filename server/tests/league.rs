//! The weekly league on SQLite and PostgreSQL: opt-in, groups filled to their size, this week's
//! table ranked by the points awarded this week, a past week settled into a promotion when its
//! member first looks in a new week, and leaving.

#[macro_use]
mod common;

use common::{Running, TestDb, award};
use hearth_core::league::{LeagueView, Tier, Zone, week_of};
use hearth_server::Config;
use reqwest::Method;
use serde_json::Value;

async fn league(server: &Running, token: &str) -> (u16, Value) {
    server.call(Method::GET, "/v1/league", token, None).await
}

fn view(answer: Value) -> LeagueView {
    serde_json::from_value(answer).expect("a league view")
}

async fn run(server: &Running, sql: &str, bind: Vec<String>) {
    let mut query = sqlx::query(sql);
    for value in bind {
        query = query.bind(value);
    }
    query.execute(server.db().pool()).await.expect(sql);
}

async fn groups_fill_rank_by_this_weeks_points_and_settle_into_promotion(db: TestDb) {
    let mut config = Config::for_database(db.url());
    config.league_group_size = 3;
    let server = Running::start_with(config).await;
    let mut people = Vec::new();
    for name in ["ann", "bo", "cai", "dai"] {
        let signed =
            server.sign_up(&format!("{name}@example.com"), serde_json::json!({ "displayName": name })).await;
        people.push((signed.profile.id, signed.session.token));
    }
    let (status, answer) = league(&server, &people[0].1).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (404, Some("not-in-league")), "{answer}");

    // Opting in: three to a group, the fourth starts another.
    for (_, token) in &people {
        let (status, answer) = server.call(Method::POST, "/v1/league/join", token, None).await;
        assert_eq!(status, 200, "{answer}");
    }
    let (status, again) = server.call(Method::POST, "/v1/league/join", &people[0].1, None).await;
    assert_eq!((status, view(again).standings.len()), (200, 3), "joining twice changes nothing");
    let (_, fourth) = league(&server, &people[3].1).await;
    assert_eq!(view(fourth).standings.len(), 1);

    // This week's points rank the table; points earned show; the earners are in the promotion
    // zone, nobody with nothing is.
    award(&server, &people[1].0, 40).await;
    award(&server, &people[0].0, 10).await;
    let (_, answer) = league(&server, &people[0].1).await;
    let table = view(answer);
    assert_eq!(table.tier, Tier::Bronze);
    assert_eq!(table.week, week_of(hearth_server::now_ms()));
    let lines: Vec<(u32, &str, u64, bool, Zone)> = table
        .standings
        .iter()
        .map(|s| (s.rank, s.display_name.as_str(), s.points, s.is_you, s.zone))
        .collect();
    assert_eq!(
        lines,
        [
            (1, "bo", 40, false, Zone::Promotion),
            (2, "ann", 10, true, Zone::Promotion),
            (3, "cai", 0, false, Zone::Safe)
        ]
    );
    assert!(table.last_week.is_none());

    // Turn this week into an old one (as time would): the first look in the new week settles it.
    let old = week_of(hearth_server::now_ms() - 21 * 86_400_000);
    let inside = (old.starts_at_ms + 3_600_000).to_string();
    run(
        &server,
        "UPDATE league_entries SET week = $1, joined_at_ms = CAST($2 AS BIGINT)",
        vec![old.id.clone(), inside.clone()],
    )
    .await;
    run(&server, "UPDATE league_groups SET week = $1", vec![old.id.clone()]).await;
    run(&server, "UPDATE ledger_transfers SET created_at_ms = CAST($1 AS BIGINT)", vec![inside]).await;
    let (_, answer) = league(&server, &people[0].1).await;
    let ann = view(answer);
    let last = ann.last_week.expect("last week settled");
    assert_eq!(
        (last.week.as_str(), last.rank, last.tier, last.zone),
        (old.id.as_str(), 2, Tier::Bronze, Zone::Promotion)
    );
    assert_eq!(ann.tier, Tier::Silver, "promoted");
    assert_eq!(ann.standings.len(), 1, "a silver group of her own this week");
    assert_eq!(ann.standings[0].points, 0, "last week's points stay in last week");
    let (_, answer) = league(&server, &people[2].1).await;
    let cai = view(answer);
    assert_eq!((cai.tier, cai.last_week.map(|l| l.zone)), (Tier::Bronze, Some(Zone::Safe)));
    // Looking again settles nothing twice.
    let (_, answer) = league(&server, &people[0].1).await;
    assert_eq!(view(answer).tier, Tier::Silver);

    // Leaving: gone from this week's table; asked again, not taking part.
    let (status, _) = server.call(Method::POST, "/v1/league/leave", &people[0].1, None).await;
    assert_eq!(status, 204);
    let (status, _) = league(&server, &people[0].1).await;
    assert_eq!(status, 404);
    let (status, _) = server.call(Method::GET, "/v1/league", "not-a-token", None).await;
    assert_eq!(status, 401);
    server.stop().await;
    db.drop_database().await;
}

on_both_databases!(groups_fill_rank_by_this_weeks_points_and_settle_into_promotion);
