//! The generic call (`oss_client_call`) against the emulator: operations of the table by name, their XML results
//! as JSON, the checks it shares with the typed functions, and the stored state each operation leaves.

mod common;

use common::{Client, Options};
use oss_emulator::{Emulator, EmulatorConfig};
use ossrs::ffi::oss_result;
use serde_json::json;

fn setup() -> (Emulator, Client) {
    let emulator = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::for_endpoint(&emulator.endpoint());
    (emulator, client)
}

#[test]
fn copy_object_copies_bytes_and_metadata() {
    let (emulator, client) = setup();
    let o = Options::new().header("x-oss-meta-color", "blue").header("Content-Type", "text/plain");
    client.put("bkt", "src/a b.txt", b"copied bytes", None, None, Some(&o)).unwrap();
    let copy = Options::new().header("x-oss-copy-source", "/bkt/src/a%20b.txt");
    let r = client.call("CopyObject", "bkt", "dst/copy.txt", Some(&copy), b"").unwrap();
    assert_eq!(emulator.object("bkt", "dst/copy.txt").unwrap(), b"copied bytes");
    let result = &r.json["result"];
    assert_eq!(result["ETag"], json!(r.header("etag").unwrap()));
    assert!(result["LastModified"].as_str().unwrap().ends_with(".000Z"), "{result}");
    let meta = emulator.object_meta("bkt", "dst/copy.txt").unwrap();
    assert_eq!(
        (meta["content_type"].as_str(), meta["user_meta"]["x-oss-meta-color"].as_str()),
        (Some("text/plain"), Some("blue"))
    );

    // REPLACE takes the request's metadata; copying an object onto itself needs it.
    let same = Options::new().header("x-oss-copy-source", "/bkt/dst/copy.txt");
    let e = client.call("CopyObject", "bkt", "dst/copy.txt", Some(&same), b"").unwrap_err();
    assert_eq!((e.http_status, e.code.as_str()), (400, "InvalidArgument"));
    let replace = Options::new()
        .header("x-oss-copy-source", "/bkt/dst/copy.txt")
        .header("x-oss-metadata-directive", "REPLACE")
        .header("x-oss-meta-size", "big");
    client.call("CopyObject", "bkt", "dst/copy.txt", Some(&replace), b"").unwrap();
    let meta = emulator.object_meta("bkt", "dst/copy.txt").unwrap();
    assert_eq!(meta["user_meta"], json!({"x-oss-meta-size": "big"}));
    let missing = Options::new().header("x-oss-copy-source", "/bkt/nope");
    assert_eq!(client.call("CopyObject", "bkt", "x", Some(&missing), b"").unwrap_err().code, "NoSuchKey");
}

#[test]
fn listings_page_roll_up_prefixes_and_encode() {
    let (_emulator, client) = setup();
    for key in ["a.txt", "d/1", "d/2", "d/sub/3", "e f/4", "z"] {
        client.put("bkt", key, key.as_bytes(), None, None, None).unwrap();
    }
    let o = Options::new().query("delimiter", "/").query("max-keys", "3");
    let page1 = client.call("ListObjects", "bkt", "", Some(&o), b"").unwrap().json["result"].clone();
    assert_eq!(page1["IsTruncated"], "true");
    assert_eq!(page1["Contents"].as_array().unwrap().len(), 1);
    assert_eq!(page1["Contents"][0]["Key"], "a.txt");
    assert_eq!(page1["Contents"][0]["Size"], "5");
    assert_eq!(page1["CommonPrefixes"], json!([{"Prefix": "d/"}, {"Prefix": "e f/"}]));
    assert_eq!(page1["NextMarker"], "e f/");
    let o = Options::new().query("delimiter", "/").query("marker", "e f/").query("encoding-type", "url");
    let page2 = client.call("ListObjects", "bkt", "", Some(&o), b"").unwrap().json["result"].clone();
    assert_eq!(page2["IsTruncated"], "false");
    assert_eq!(page2["Marker"], "e%20f%2F");
    assert_eq!(page2["Contents"], json!([page2["Contents"][0].clone()]));
    assert_eq!(page2["Contents"][0]["Key"], "z");

    let o = Options::new().query("prefix", "d/").query("max-keys", "2");
    let v2 = client.call("ListObjectsV2", "bkt", "", Some(&o), b"").unwrap().json["result"].clone();
    assert_eq!((v2["KeyCount"].as_str(), v2["IsTruncated"].as_str()), (Some("2"), Some("true")));
    assert!(v2["Contents"][0].get("Owner").is_none(), "no owner without fetch-owner");
    let token = v2["NextContinuationToken"].as_str().unwrap().to_string();
    let o = Options::new().query("prefix", "d/").query("continuation-token", &token).query("fetch-owner", "true");
    let next = client.call("ListObjectsV2", "bkt", "", Some(&o), b"").unwrap().json["result"].clone();
    assert_eq!(next["Contents"].as_array().unwrap().len(), 1);
    assert_eq!(next["Contents"][0]["Key"], "d/sub/3");
    assert!(next["Contents"][0]["Owner"]["ID"].is_string());

    let bad = Options::new().query("max-keys", "1001");
    assert_eq!(client.call("ListObjects", "bkt", "", Some(&bad), b"").unwrap_err().code, "InvalidArgument");
}

#[test]
fn delete_multiple_objects_sends_its_md5_and_deletes() {
    let (emulator, client) = setup();
    for key in ["x/1", "x/2", "x/3"] {
        client.put("bkt", key, b"1", None, None, None).unwrap();
    }
    let body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Delete><Quiet>false</Quiet>\
                <Object><Key>x/1</Key></Object><Object><Key>x/2</Key></Object><Object><Key>gone</Key></Object></Delete>";
    let r = client.call("DeleteMultipleObjects", "bkt", "", None, body.as_bytes()).unwrap();
    assert_eq!(r.json["result"]["Deleted"], json!([{"Key": "x/1"}, {"Key": "x/2"}, {"Key": "gone"}]));
    assert!(emulator.object("bkt", "x/1").is_none() && emulator.object("bkt", "x/2").is_none());
    assert_eq!(emulator.object("bkt", "x/3").unwrap(), b"1");
    let sent = emulator.requests().into_iter().rev().find(|r| r["method"] == "POST").unwrap();
    let has_md5 =
        sent["headers"].as_array().unwrap().iter().any(|h| h[0].as_str().unwrap().eq_ignore_ascii_case("content-md5"));
    assert!(has_md5, "{sent}");
    let quiet = "<Delete><Quiet>true</Quiet><Object><Key>x/3</Key></Object></Delete>";
    let r = client.call("DeleteMultipleObjects", "bkt", "", None, quiet.as_bytes()).unwrap();
    assert!(r.json["result"].is_null() || r.json["result"].get("Deleted").is_none(), "{}", r.json);
    assert!(emulator.object("bkt", "x/3").is_none());
}

#[test]
fn object_acls_are_set_and_read() {
    let (_emulator, client) = setup();
    client.put("bkt", "acl.txt", b"x", None, None, None).unwrap();
    let get = |c: &Client| c.call("GetObjectAcl", "bkt", "acl.txt", None, b"").unwrap().json["result"].clone();
    assert_eq!(get(&client)["AccessControlList"]["Grant"], json!(["default"]));
    let set = Options::new().header("x-oss-object-acl", "public-read");
    client.call("PutObjectAcl", "bkt", "acl.txt", Some(&set), b"").unwrap();
    assert_eq!(get(&client)["AccessControlList"]["Grant"], json!(["public-read"]));
    let bad = Options::new().header("x-oss-object-acl", "everyone");
    assert_eq!(client.call("PutObjectAcl", "bkt", "acl.txt", Some(&bad), b"").unwrap_err().code, "InvalidArgument");
    let bucket = client.call("GetBucketAcl", "bkt", "", None, b"").unwrap().json["result"].clone();
    assert_eq!(bucket["AccessControlList"]["Grant"], json!(["private"]));
    let location = client.call("GetBucketLocation", "bkt", "", None, b"").unwrap();
    assert_eq!(location.json["result"], json!("oss-cn-hangzhou"));
    let meta = client.call("GetBucketMeta", "bkt", "", None, b"").unwrap();
    assert_eq!(meta.header("x-oss-bucket-region"), Some("cn-hangzhou"));
}

#[test]
fn buckets_are_created_described_listed_and_deleted() {
    let (_emulator, client) = setup();
    let create = Options::new().header("x-oss-acl", "public-read");
    let config = "<CreateBucketConfiguration><StorageClass>IA</StorageClass></CreateBucketConfiguration>";
    client.call("CreateBucket", "new-bucket", "", Some(&create), config.as_bytes()).unwrap();
    let again = client.call("CreateBucket", "new-bucket", "", None, b"").unwrap_err();
    assert_eq!((again.code.as_str(), again.http_status), ("BucketAlreadyExists", 409));

    let list = client.call("ListBuckets", "", "", None, b"").unwrap().json["result"].clone();
    let names: Vec<&str> =
        list["Buckets"]["Bucket"].as_array().unwrap().iter().map(|b| b["Name"].as_str().unwrap()).collect();
    assert_eq!(names, ["bkt", "new-bucket"], "{list}");
    let paged = Options::new().query("max-keys", "1");
    let page = client.call("ListBuckets", "", "", Some(&paged), b"").unwrap().json["result"].clone();
    assert_eq!((page["IsTruncated"].as_str(), page["NextMarker"].as_str()), (Some("true"), Some("bkt")), "{page}");

    let info = client.call("GetBucketInfo", "new-bucket", "", None, b"").unwrap().json["result"].clone();
    let bucket = &info["Bucket"];
    assert_eq!((bucket["Name"].as_str(), bucket["StorageClass"].as_str()), (Some("new-bucket"), Some("IA")));
    assert_eq!(bucket["AccessControlList"]["Grant"], json!(["public-read"]));
    assert_eq!(bucket["Location"], json!("oss-cn-hangzhou"));
    client.call("PutBucketAcl", "new-bucket", "", Some(&Options::new().header("x-oss-acl", "private")), b"").unwrap();
    let acl = client.call("GetBucketAcl", "new-bucket", "", None, b"").unwrap().json["result"].clone();
    assert_eq!(acl["AccessControlList"]["Grant"], json!(["private"]));

    client.put("new-bucket", "a/1", b"12345", None, None, None).unwrap();
    client.put("new-bucket", "a/2", b"678", None, None, None).unwrap();
    let stat = client.call("GetBucketStat", "new-bucket", "", None, b"").unwrap().json["result"].clone();
    assert_eq!((stat["Storage"].as_str(), stat["ObjectCount"].as_str()), (Some("8"), Some("2")), "{stat}");
    let full = client.call("DeleteBucket", "new-bucket", "", None, b"").unwrap_err();
    assert_eq!((full.code.as_str(), full.http_status), ("BucketNotEmpty", 409));
    for key in ["a/1", "a/2"] {
        client.call("DeleteObject", "new-bucket", key, None, b"").unwrap();
    }
    client.call("DeleteBucket", "new-bucket", "", None, b"").unwrap();
    let gone = client.call("GetBucketInfo", "new-bucket", "", None, b"").unwrap_err();
    assert_eq!((gone.code.as_str(), gone.http_status), ("NoSuchBucket", 404));
    let bad = client.call("CreateBucket", "bkt2", "", Some(&Options::new().header("x-oss-acl", "open")), b"");
    assert_eq!(bad.unwrap_err().code, "InvalidArgument");
}

#[test]
#[allow(clippy::result_large_err)]
fn upload_part_copy_copies_a_range_of_the_source_as_a_part() {
    let (emulator, client) = setup();
    let source: Vec<u8> = (0..400_000u32).map(|i| (i % 251) as u8).collect();
    client.put("bkt", "src.bin", &source, None, None, None).unwrap();
    let id = client.initiate("bkt", "joined.bin", None).unwrap().upload_id.unwrap();
    let part = |n: &str, range: Option<&str>| {
        let mut o =
            Options::new().query("partNumber", n).query("uploadId", &id).header("x-oss-copy-source", "/bkt/src.bin");
        if let Some(r) = range {
            o = o.header("x-oss-copy-source-range", r);
        }
        client.call("UploadPartCopy", "bkt", "joined.bin", Some(&o), b"")
    };
    let first = part("1", Some("bytes=0-199999")).unwrap();
    let second = part("2", Some("bytes=200000-")).unwrap();
    let whole = part("3", None).unwrap();
    assert_eq!(first.json["result"]["ETag"].as_str(), first.header("etag"), "{}", first.json);
    let e = part("4", Some("bytes=0-400000")).unwrap_err();
    assert_eq!((e.code.as_str(), e.http_status), ("InvalidArgument", 400));
    let parts = [(1, first.etag()), (2, second.etag()), (3, whole.etag())];
    client.complete("bkt", "joined.bin", &id, &parts, None, None).unwrap();
    let stored = emulator.object("bkt", "joined.bin").unwrap();
    assert_eq!(stored, [&source[..200_000], &source[200_000..], &source[..]].concat());
}

#[test]
fn operations_refuse_requests_without_what_they_need() {
    let (emulator, client) = setup();
    let before = emulator.stats().requests;
    let source = || Options::new().header("x-oss-copy-source", "/bkt/a");
    for (op, options, needs) in [
        ("UploadPart", Options::new().query("partNumber", "1"), "uploadId"),
        ("UploadPart", Options::new().query("uploadId", "U"), "partNumber"),
        ("UploadPartCopy", Options::new().query("uploadId", "U").query("partNumber", "1"), "x-oss-copy-source"),
        ("CopyObject", Options::new(), "x-oss-copy-source"),
        ("AbortMultipartUpload", Options::new().query("uploadId", ""), "uploadId"),
        ("AppendObject", Options::new(), "position"),
        ("PutSymlink", Options::new(), "x-oss-symlink-target"),
        ("PutObjectAcl", Options::new(), "x-oss-object-acl"),
        ("UploadPartCopy", source().query("partNumber", "1"), "uploadId"),
    ] {
        let e = client.call(op, "bkt", "k", Some(&options), b"").unwrap_err();
        assert_eq!(e.result, oss_result::InvalidArgument, "{op}: {}", e.message);
        assert!(e.message.contains(needs) && e.message.contains(op), "{op}: {}", e.message);
        assert_eq!((e.code.as_str(), e.http_status), ("InvalidArgument", 0), "{op}");
    }
    let e = client.call("PutBucketAcl", "bkt", "", None, b"").unwrap_err();
    assert!(e.message.contains("x-oss-acl"), "{}", e.message);
    for bad in ["0", "10001", "one"] {
        let o = source().query("uploadId", "U").query("partNumber", bad);
        let e = client.call("UploadPartCopy", "bkt", "k", Some(&o), b"").unwrap_err();
        assert_eq!(e.result, oss_result::InvalidPartNumber, "{bad}: {}", e.message);
    }
    assert_eq!(emulator.stats().requests, before, "nothing was sent");
}

#[test]
fn archived_objects_are_read_after_a_restore() {
    let (_emulator, client) = setup();
    let archive = Options::new().header("x-oss-storage-class", "Archive");
    client.put("bkt", "cold.txt", b"frozen", None, None, Some(&archive)).unwrap();
    let e = client.get("bkt", "cold.txt").unwrap_err();
    assert_eq!((e.http_status, e.code.as_str()), (403, "InvalidObjectState"));
    assert_eq!(client.head("bkt", "cold.txt").unwrap().header("x-oss-storage-class"), Some("Archive"));
    let days = "<RestoreRequest><Days>2</Days></RestoreRequest>";
    assert_eq!(client.call("RestoreObject", "bkt", "cold.txt", None, days.as_bytes()).unwrap().status, 202);
    let again = client.call("RestoreObject", "bkt", "cold.txt", None, b"").unwrap_err();
    assert_eq!((again.http_status, again.code.as_str()), (409, "RestoreAlreadyInProgress"));
    assert_eq!(client.head("bkt", "cold.txt").unwrap().header("x-oss-restore"), Some("ongoing-request=\"true\""));
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert_eq!(client.get("bkt", "cold.txt").unwrap().body, b"frozen");
    let restored = client.head("bkt", "cold.txt").unwrap();
    assert!(restored.header("x-oss-restore").unwrap().starts_with("ongoing-request=\"false\", expiry-date="));
    assert_eq!(client.call("RestoreObject", "bkt", "cold.txt", None, b"").unwrap().status, 200);
    client.put("bkt", "warm.txt", b"warm", None, None, None).unwrap();
    let e = client.call("RestoreObject", "bkt", "warm.txt", None, b"").unwrap_err();
    assert_eq!((e.http_status, e.code.as_str()), (400, "OperationNotSupported"));
}

#[test]
fn the_generic_call_checks_before_any_request() {
    let (emulator, client) = setup();
    let before = emulator.stats().requests;
    let e = client.call("CopyObjects", "bkt", "k", None, b"").unwrap_err();
    assert_eq!(e.result, oss_result::InvalidArgument);
    assert!(
        e.message.contains("unknown operation \"CopyObjects\"") && e.message.contains("ListObjectsV2"),
        "{}",
        e.message
    );
    let e = client.call("CompleteMultipartUpload", "bkt", "k", None, b"").unwrap_err();
    assert!(e.message.contains("oss_complete_multipart_upload"), "{}", e.message);
    assert_eq!(client.call("ListObjects", "bkt", "key", None, b"").unwrap_err().result, oss_result::InvalidArgument);
    assert_eq!(
        client.call("HeadObject", "Bad_Bucket", "k", None, b"").unwrap_err().result,
        oss_result::InvalidBucketName
    );
    let cb = Options::new().header("x-oss-callback", "eyJjYWxsYmFja1VybCI6Imh0dHA6Ly94In0=");
    let e = client.call("CopyObject", "bkt", "k", Some(&cb), b"").unwrap_err();
    assert_eq!(e.result, oss_result::InvalidCallback);
    assert_eq!(emulator.stats().requests, before, "nothing was sent");
}

#[test]
fn append_object_follows_positions_and_is_never_repeated() {
    use oss_emulator::{ErrorStatus, FaultKind, FaultRule, Faults, Operation};
    let (emulator, client) = setup();
    let at = |n: u64| Options::new().query("position", &n.to_string());
    let r = client.call("AppendObject", "bkt", "log.txt", Some(&at(0)), b"first ").unwrap();
    assert_eq!(r.header("x-oss-next-append-position"), Some("6"));
    let dir = common::temp_dir();
    let file = dir.path().join("more.txt");
    std::fs::write(&file, b"second").unwrap();
    let from_file = at(6).body_file(&file).check_md5();
    let r = client.call("AppendObject", "bkt", "log.txt", Some(&from_file), b"").unwrap();
    assert_eq!(r.header("x-oss-next-append-position"), Some("12"));
    assert_eq!(emulator.object("bkt", "log.txt").unwrap(), b"first second");
    let e = client.call("AppendObject", "bkt", "log.txt", Some(&at(3)), b"x").unwrap_err();
    assert_eq!((e.http_status, e.code.as_str()), (409, "PositionNotEqualToLength"));
    assert_eq!(e.response.unwrap().header("x-oss-next-append-position"), Some("12"));
    let both = at(12).body_file(&file);
    assert_eq!(
        client.call("AppendObject", "bkt", "log.txt", Some(&both), b"x").unwrap_err().result,
        oss_result::InvalidArgument
    );

    // A 503 is not retried: a second append could write the data twice.
    emulator
        .set_faults(Faults {
            seed: 1,
            rules: vec![FaultRule::new(FaultKind::Error(ErrorStatus::ServiceUnavailable))
                .operation(Operation::AppendObject)
                .limit(1)],
        })
        .unwrap();
    let e = client.call("AppendObject", "bkt", "log.txt", Some(&at(12)), b"!").unwrap_err();
    assert_eq!((e.http_status, e.attempts), (503, 1));
    client.put("bkt", "plain.txt", b"x", None, None, None).unwrap();
    assert_eq!(
        client.call("AppendObject", "bkt", "plain.txt", Some(&at(1)), b"y").unwrap_err().code,
        "ObjectNotAppendable"
    );

    let meta = client.call("GetObjectMeta", "bkt", "log.txt", None, b"").unwrap();
    assert_eq!(meta.header("content-length"), Some("12"));
    assert!(meta.header("etag").is_some() && meta.header("last-modified").is_some());
    assert!(meta.header("content-type").is_none(), "only the simplified metadata");
}

#[test]
fn refusals_carry_the_code_oss_would_have_answered() {
    let (emulator, client) = setup();
    let before = emulator.stats().requests;
    let e = client.put("bkt", "k", b"x", Some("{not json"), None, None).unwrap_err();
    assert_eq!((e.result, e.code.as_str(), e.http_status), (oss_result::InvalidCallback, "InvalidArgument", 0));
    let e = client.upload_part("bkt", "k", "UPLOAD", 10_001, b"x", None).unwrap_err();
    assert_eq!((e.code.as_str(), e.http_status), ("InvalidArgument", 0));
    let e = client.call("ListObjects", "Bad_Bucket", "", None, b"").unwrap_err();
    assert_eq!(e.code, "InvalidBucketName");
    assert_eq!(emulator.stats().requests, before, "nothing was sent");
}

#[test]
fn symlinks_point_at_their_target() {
    let (_emulator, client) = setup();
    client.put("bkt", "real/target file.txt", b"the target", None, None, None).unwrap();
    let link = Options::new().header("x-oss-symlink-target", "real/target%20file.txt");
    client.call("PutSymlink", "bkt", "link.txt", Some(&link), b"").unwrap();
    let r = client.call("GetSymlink", "bkt", "link.txt", None, b"").unwrap();
    assert_eq!(r.header("x-oss-symlink-target"), Some("real%2Ftarget%20file.txt"));
    assert_eq!(client.get("bkt", "link.txt").unwrap().body, b"the target");
    assert_eq!(client.head("bkt", "link.txt").unwrap().header("x-oss-object-type"), Some("Symlink"));
    assert_eq!(client.call("GetSymlink", "bkt", "real/target file.txt", None, b"").unwrap_err().code, "NotSymlink");
    client.call("DeleteObject", "bkt", "real/target file.txt", None, b"").unwrap();
    let e = client.get("bkt", "link.txt").unwrap_err();
    assert_eq!((e.http_status, e.code.as_str()), (404, "SymlinkTargetNotExist"));
    let missing = client.call("PutSymlink", "bkt", "link2.txt", None, b"").unwrap_err();
    assert_eq!(missing.code, "InvalidArgument");
}

#[test]
fn object_tags_are_set_read_and_deleted() {
    let (_emulator, client) = setup();
    client.put("bkt", "tagged", b"x", None, None, None).unwrap();
    let body = "<Tagging><TagSet><Tag><Key>a &amp; b</Key><Value>1</Value></Tag><Tag><Key>c</Key><Value></Value></Tag></TagSet></Tagging>";
    client.call("PutObjectTagging", "bkt", "tagged", None, body.as_bytes()).unwrap();
    let got = client.call("GetObjectTagging", "bkt", "tagged", None, b"").unwrap().json["result"].clone();
    assert_eq!(got["TagSet"]["Tag"], json!([{"Key": "a & b", "Value": "1"}, {"Key": "c", "Value": ""}]));
    let twice = "<Tagging><TagSet><Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key><Value>2</Value></Tag></TagSet></Tagging>";
    assert_eq!(
        client.call("PutObjectTagging", "bkt", "tagged", None, twice.as_bytes()).unwrap_err().code,
        "InvalidTag"
    );
    assert_eq!(client.call("DeleteObjectTagging", "bkt", "tagged", None, b"").unwrap().status, 204);
    let got = client.call("GetObjectTagging", "bkt", "tagged", None, b"").unwrap().json["result"].clone();
    assert_eq!(got["TagSet"], json!(""), "no tags left: {got}");
}
