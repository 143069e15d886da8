//! Callback / callback-var checks on any text: success means base64 of exactly the given bytes within the
//! 5 KB limit; failure is always InvalidCallback.
#![no_main]

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use libfuzzer_sys::fuzz_target;
use ossrs::core::model::callback::{encode, MAX_ENCODED_LEN};
use ossrs::core::ErrorKind;

fuzz_target!(|input: (Option<&str>, Option<&str>)| {
    let (callback, var) = input;
    match encode(callback, var) {
        Ok(None) => assert!(callback.unwrap_or("").is_empty() && var.unwrap_or("").is_empty()),
        Ok(Some(h)) => {
            assert!(h.callback.len() <= MAX_ENCODED_LEN);
            assert_eq!(B64.decode(&h.callback).unwrap(), callback.unwrap().as_bytes());
            match (h.callback_var, var.filter(|v| !v.is_empty())) {
                (Some(e), Some(v)) => assert_eq!(B64.decode(e).unwrap(), v.as_bytes()),
                (None, None) => {}
                other => panic!("callback-var mismatch: {other:?}"),
            }
        }
        Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidCallback),
    }
});
