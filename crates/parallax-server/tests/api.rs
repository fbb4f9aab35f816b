//! The API and the pages, called in process (`tower::ServiceExt::oneshot`, no socket).

mod common;

use std::collections::HashSet;
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;
use tower::ServiceExt;

/// One shared store for the read-only tests (ingesting the corpus costs seconds in a debug build).
fn shared() -> parallax_server::AppState {
    static STATE: OnceLock<(tempfile::TempDir, parallax_server::AppState)> = OnceLock::new();
    STATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let state = common::state(dir.path(), None);
            (dir, state)
        })
        .1
        .clone()
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn call(state: &parallax_server::AppState, request: Request<Body>) -> Answer {
    let response = parallax_server::app(state.clone())
        .oneshot(request)
        .await
        .expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

async fn get(uri: &str) -> Answer {
    call(
        &shared(),
        Request::get(uri).body(Body::empty()).expect("request"),
    )
    .await
}

#[tokio::test]
async fn health_says_what_is_held() {
    let answer = get("/api/health").await;
    assert_eq!(answer.status, StatusCode::OK);
    let health = answer.json();
    assert_eq!(health["status"], "ok");
    assert!(health["stories"].as_u64().unwrap() >= 10);
    assert_eq!(health["indexed"].as_u64(), Some(53));
}

#[tokio::test]
async fn story_pages_cover_every_story_once_in_order() {
    let all = get("/api/stories?limit=100").await.json();
    let total = all["stories"].as_array().unwrap().len();
    for sort in ["newest", "largest"] {
        let mut seen = Vec::new();
        let mut uri = format!("/api/stories?limit=3&sort={sort}");
        loop {
            let page = get(&uri).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.text());
            let page = page.json();
            for story in page["stories"].as_array().unwrap() {
                seen.push(story.clone());
            }
            match page["next"].as_str() {
                Some(next) => uri = format!("/api/stories?limit=3&sort={sort}&after={next}"),
                None => break,
            }
        }
        let ids: HashSet<&str> = seen.iter().map(|s| s["id"].as_str().unwrap()).collect();
        assert_eq!((seen.len(), ids.len()), (total, total), "{sort}");
        if sort == "largest" {
            let sizes: Vec<u64> = seen
                .iter()
                .map(|s| s["articles"].as_u64().unwrap())
                .collect();
            assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
        } else {
            let last: Vec<String> = seen
                .iter()
                .filter_map(|s| s["last_date"].as_str().map(|d| d[..10].to_owned()))
                .collect();
            assert!(last.windows(2).all(|w| w[0] >= w[1]), "{last:?}");
        }
    }
}

#[tokio::test]
async fn story_filters_narrow_the_list() {
    let german = get("/api/stories?language=de&limit=100").await.json();
    let stories = german["stories"].as_array().unwrap();
    assert!(!stories.is_empty());
    assert!(stories.iter().all(|s| {
        s["languages"]
            .as_array()
            .unwrap()
            .contains(&Value::from("de"))
    }));
    let may = get("/api/stories?from=2024-05-01&to=2024-05-31&limit=100")
        .await
        .json();
    for s in may["stories"].as_array().unwrap() {
        assert!(s["last_date"].as_str().unwrap() >= "2024-05-01");
        assert!(s["first_date"].as_str().unwrap() <= "2024-05-31T99");
    }
    let outlet = get("/api/stories?outlet=MPA&limit=100").await.json();
    assert!(outlet["stories"].as_array().unwrap().iter().all(|s| {
        s["sources"]
            .as_array()
            .unwrap()
            .contains(&Value::from("MPA"))
    }));
    let entity = get("/api/stories?entity=Millbridge&limit=100").await.json();
    let headlines: Vec<&str> = entity["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["headline"].as_str().unwrap())
        .collect();
    assert!(
        headlines.iter().any(|h| h.contains("Millbridge")),
        "{headlines:?}"
    );
}

#[tokio::test]
async fn bad_parameters_are_400_with_a_json_reason() {
    for uri in [
        "/api/stories?limit=0",
        "/api/stories?limit=abc",
        "/api/stories?sort=oldest",
        "/api/stories?from=yesterday",
        "/api/stories?after=nonsense",
        "/api/search?q=fire&limit=1000",
        "/api/stories/not-a-story",
    ] {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
        let body = answer.json();
        assert_eq!(body["status"], 400);
        assert!(!body["error"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn unknown_ids_are_404() {
    for uri in [
        "/api/stories/s999",
        "/api/articles/ffffffffffff",
        "/api/entities/nobody-at-all",
    ] {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(answer.json()["status"], 404);
    }
    assert_eq!(get("/no/such/page").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_story_is_what_story_json_prints() {
    let list = get("/api/stories?sort=largest&limit=1").await.json();
    let id = list["stories"][0]["id"].as_str().unwrap().to_owned();
    let story = get(&format!("/api/stories/{id}")).await.json();
    assert_eq!(story["id"], id);
    assert!(story["comparison"]["sources"].as_array().unwrap().len() >= 2);
    assert!(
        !story["comparison"]["statements"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let unit = &story["units"][0];
    let article = get(&format!("/api/articles/{}", unit["id"].as_str().unwrap())).await;
    assert_eq!(article.status, StatusCode::OK);
    let article = article.json();
    assert!(
        article["stories"]
            .as_array()
            .unwrap()
            .contains(&Value::from(id))
    );
    assert!(article["extraction"]["entities"].as_array().is_some());
}

#[tokio::test]
async fn entities_are_listed_and_found_by_name() {
    let list = get("/api/entities?limit=5").await.json();
    assert_eq!(list.as_array().unwrap().len(), 5);
    let one = get("/api/entities/Millbridge").await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json()["entity"]["name"], "Millbridge");
}

#[tokio::test]
async fn search_stems_highlights_and_counts_facets() {
    let found = get("/api/search?q=firefighter").await.json();
    assert!(found["total"].as_u64().unwrap() >= 2, "{found}");
    let hit = &found["hits"][0];
    let text = hit["snippet"]["text"].as_str().unwrap();
    let [start, end] = [0, 1].map(|i| hit["snippet"]["marks"][0][i].as_u64().unwrap() as usize);
    assert!(text[start..end].to_lowercase().starts_with("firefighter"));
    // Fewer matches than the facets are counted over: the counts are over every match, and say so.
    assert_eq!(found["facets_counted"], true, "{found}");
    assert_eq!(found["facets_over"], found["total"], "{found}");
    let outlets = &found["facets"][0];
    assert_eq!(outlets["facet"], "outlet");
    let outlet = outlets["values"][0]["value"].as_str().unwrap().to_owned();
    let narrowed = get(&format!(
        "/api/search?q=firefighter&outlet={}",
        outlet.replace(' ', "%20")
    ))
    .await
    .json();
    assert!(
        narrowed["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["source"] == outlet.as_str())
    );
    let german = get("/api/search?q=hafenarbeiter&language=de").await.json();
    assert!(german["total"].as_u64().unwrap() >= 1, "{german}");
}

#[tokio::test]
async fn openapi_describes_every_route() {
    let doc = get("/api/openapi.json").await.json();
    for path in [
        "/api/stories",
        "/api/stories/{id}",
        "/api/articles",
        "/api/articles/{id}",
        "/api/entities",
        "/api/entities/{id}",
        "/api/search",
        "/api/health",
        "/api/storylines",
        "/api/storylines/{id}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["components"]["schemas"]["StoryPage"].is_object());
}

#[tokio::test]
async fn every_answer_has_the_safety_headers_and_no_cors() {
    for uri in [
        "/",
        "/api/stories",
        "/assets/style.css",
        "/api/stories/s999",
    ] {
        let answer = get(uri).await;
        let csp = answer.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{uri}"
        );
        assert_eq!(answer.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(
            answer
                .headers
                .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
                .is_none(),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn no_url_reaches_a_file_outside_the_assets() {
    for uri in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/..%2fCargo.toml",
        "/assets/style.css/../../Cargo.toml",
        "/assets//etc/passwd",
        "/assets/app.js%00.css",
    ] {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!answer.text().contains("[package]"));
    }
    assert_eq!(get("/assets/app.js").await.status, StatusCode::OK);
}

/// Nothing an article carries reaches a page as markup: every page that shows it escapes it, and its URL is never a
/// link unless http(s).
#[tokio::test]
async fn hostile_articles_are_shown_as_text() {
    let found = get("/api/search?q=quayport").await.json();
    let ids: Vec<String> = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2, "{found}");
    let mut pages = vec![
        "/search?q=quayport".to_owned(),
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E".to_owned(),
        "/".to_owned(),
    ];
    for id in &ids {
        pages.push(format!("/articles/{id}"));
        let article = get(&format!("/api/articles/{id}")).await.json();
        for story in article["stories"].as_array().unwrap() {
            pages.push(format!("/stories/{}", story.as_str().unwrap()));
        }
        for entity in article["extraction"]["entities"].as_array().unwrap() {
            pages.push(format!("/entities/{}", entity["id"].as_str().unwrap()));
        }
    }
    for uri in &pages {
        let answer = get(uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}");
        let html = answer.text().to_lowercase();
        for forbidden in [
            "<script>",
            "<img",
            "<svg",
            "<iframe",
            "<style",
            "<math",
            "href=\"javascript:",
            "href=\"data:",
            "<b onmouseover",
        ] {
            assert!(!html.contains(forbidden), "{uri} carries {forbidden}");
        }
        // The only script is the embedded asset.
        assert_eq!(html.matches("<script").count(), 1, "{uri}");
    }
    let article = get(&format!("/articles/{}", ids[0])).await.text();
    assert!(article.contains("&lt;script&gt;") || article.contains("&lt;img"));
}

#[tokio::test]
async fn pages_render_for_people() {
    let list = get("/").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = list.text();
    assert!(html.contains("Huge blaze at Millbridge textile factory"));
    let story = get("/api/stories?sort=largest&limit=1").await.json();
    let id = story["stories"][0]["id"].as_str().unwrap();
    let page = get(&format!("/stories/{id}")).await.text();
    for part in [
        "id=\"columns\"",
        "table class=\"columns\"",
        "id=\"framing\"",
        "id=\"quotes\"",
        "id=\"timeline\"",
    ] {
        assert!(page.contains(part), "{part}");
    }
    assert_eq!(get("/entities").await.status, StatusCode::OK);
    assert!(
        get("/search?q=fire")
            .await
            .text()
            .contains("class=\"mark hit\"")
    );
    assert_eq!(get("/stories/s999").await.status, StatusCode::NOT_FOUND);
}

mod ingest {
    use super::*;

    const TOKEN: &str = "a-test-token-of-some-length";

    fn post(body: impl Into<Body>, token: Option<&str>) -> Request<Body> {
        let mut request =
            Request::post("/api/articles").header(header::CONTENT_TYPE, "application/x-ndjson");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        request.body(body.into()).expect("request")
    }

    #[tokio::test]
    async fn posting_articles_needs_the_token_and_stays_under_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let state = common::state(dir.path(), Some(TOKEN));
        let record = r#"{"title": "Tram strike halts Ravensport", "text": "Tram drivers in Ravensport walked out on Monday over pay, halting every line in the city.", "source": "WNB News", "date": "2024-07-03"}"#;
        let body = format!("{record}\n{{\"title\": 5, \"text\": [}}\n");
        assert_eq!(
            call(&state, post(body.clone(), None)).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            call(&state, post(body.clone(), Some("wrong-token-wrong-token")))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        let huge = vec![b'x'; 65 << 10];
        let too_large = call(&state, post(huge, Some(TOKEN))).await;
        assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(too_large.json()["status"], 413);
        // Asked before the upload, so an answer is kept: the upload's commit must make it stale.
        let before = call(
            &state,
            Request::get("/api/search?q=tram")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json();
        assert_eq!(before["total"], 0, "{before}");
        let stored = call(&state, post(body, Some(TOKEN))).await;
        assert_eq!(stored.status, StatusCode::OK, "{}", stored.text());
        let answer = stored.json();
        assert_eq!(answer["stored"], 1);
        assert_eq!(answer["rejects"].as_array().unwrap().len(), 1, "{answer}");
        assert!(
            answer["rejects"][0]["origin"]
                .as_str()
                .unwrap()
                .starts_with("upload")
        );
        let found = call(
            &state,
            Request::get("/api/search?q=tram")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json();
        assert_eq!(found["total"], 1, "{found}");
        let stories = call(
            &state,
            Request::get("/api/stories?limit=1")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json();
        assert_eq!(
            stories["stories"][0]["headline"],
            "Tram strike halts Ravensport"
        );
    }

    #[tokio::test]
    async fn posting_is_off_without_a_token() {
        let dir = tempfile::tempdir().unwrap();
        let state = common::state(dir.path(), None);
        let answer = call(&state, post("{}", Some(TOKEN))).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
    }
}

/// Issue 13 and 14: the example corpus's two storylines (the quake and its reconstruction plan, the Lyon ruling
/// and its appeal) are listed, each with its stories in time order and a timeline; a storyline has a page that
/// links its stories, and a story's page names its storyline.
#[tokio::test]
async fn storylines_are_listed_shown_and_linked_from_their_stories() {
    let answer = get("/api/storylines").await;
    assert_eq!(answer.status, StatusCode::OK);
    let list = answer.json();
    let lines = list["storylines"].as_array().unwrap();
    assert_eq!(lines.len(), 2, "{list:#}");
    for line in lines {
        let stories = line["stories"].as_array().unwrap();
        assert_eq!(stories.len(), 2, "{line:#}");
        assert!(stories[0]["first_date"].as_str() <= stories[1]["first_date"].as_str());
    }
    let quake = lines
        .iter()
        .find(|l| {
            l["stories"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["headline"].as_str().unwrap().contains("rebuild"))
        })
        .expect("the quake's storyline");
    let id = quake["id"].as_str().unwrap();

    let one = get(&format!("/api/storylines/{id}")).await;
    assert_eq!(one.status, StatusCode::OK);
    let one = one.json();
    let values: Vec<&str> = one["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["value"].as_str().unwrap())
        .collect();
    assert!(values.contains(&"2024-05-02"), "{values:?}");
    let mut sorted = values.clone();
    sorted.sort_unstable();
    assert_eq!(values, sorted);

    let page = get(&format!("/storylines/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    for story in quake["stories"].as_array().unwrap() {
        assert!(
            html.contains(&format!(
                "href=\"/stories/{}\"",
                story["id"].as_str().unwrap()
            )),
            "{html}"
        );
    }
    let first = quake["stories"][0]["id"].as_str().unwrap();
    let story = get(&format!("/stories/{first}")).await.text();
    assert!(story.contains("In its storyline"), "{story}");
    assert!(story.contains(&format!("href=\"/storylines/{id}\"")));
    assert_eq!(
        get("/api/storylines/l99999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get("/api/storylines/x").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(get("/storylines").await.status, StatusCode::OK);
}
