//! The one error type of every handler: user errors are 4xx with a JSON body that says what was wrong, internal
//! ones 500 without internals (those go to the server's log).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// What a request can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// A parameter is malformed (400).
    #[error("{0}")]
    BadRequest(String),
    /// No such story, article or entity (404).
    #[error("{0}")]
    NotFound(String),
    /// Ingest over HTTP needs the token the server was started with (401).
    #[error("this needs the bearer token the server was started with (--token-file)")]
    Unauthorized,
    /// Ingest over HTTP is off: the server was started without --token-file (403).
    #[error("ingest over HTTP is off: start the server with --token-file")]
    IngestOff,
    /// What the request needs is off on this server: search without an index, ingest on a store open for reading
    /// only (503).
    #[error("{0}")]
    Unavailable(String),
    /// The request body is over the limit (413).
    #[error("the request body is over the limit of {0} bytes")]
    TooLarge(usize),
    /// Something failed inside the server (500); the details are logged, not sent.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::IngestOff => StatusCode::FORBIDDEN,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message a user sees.
    pub fn message(&self) -> String {
        if let ApiError::Internal(detail) = self {
            eprintln!("parallax serve: internal error: {detail}");
        }
        self.to_string()
    }
}

impl From<parallax_store::Error> for ApiError {
    fn from(error: parallax_store::Error) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl From<parallax_pipeline::Error> for ApiError {
    fn from(error: parallax_pipeline::Error) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl From<crate::search::SearchError> for ApiError {
    fn from(error: crate::search::SearchError) -> Self {
        ApiError::Internal(error.to_string())
    }
}

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The HTTP status.
    pub status: u16,
    /// What was wrong, for a person.
    pub error: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (
            status,
            Json(ErrorBody {
                status: status.as_u16(),
                error: self.message(),
            }),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// The result type of handlers.
pub type ApiResult<T> = Result<T, ApiError>;
