//! HTTP plumbing: the request and response types and the transport that sends them.

mod body;
pub use body::{file_error, file_size};
mod buffers;
pub use buffers::{Budget, BufferPool, Permit};
pub mod hashed_range;
mod headers;
pub mod limits;
mod response;
pub mod retry;
mod transport;
mod trust;

pub use body::{Body, BodySource, StreamBody};
pub use headers::Headers;
pub use limits::{Answer, AnswerLimits, Reading};
pub use response::Response;
pub use transport::{BodySink, Transport, TransportConfig};
