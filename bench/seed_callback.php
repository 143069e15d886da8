<?php
/*
 * The upload callback the PHP benchmark clients send: the JSON callback and callback variables of
 * php-example/samples/multipart_callback.php (the seed sample), with the callback URL and host from
 * OSS_CALLBACK_URL and OSS_CALLBACK_HOST. Returns [callback JSON, callback-var JSON].
 */
return [
    '{
        "callbackUrl":"' . getenv("OSS_CALLBACK_URL") . '",
        "callbackHost":"' . getenv("OSS_CALLBACK_HOST") . '",
        "callbackBody":"{\"mimeType\":${mimeType},\"size\":${size},\"x:var1\":${x:var1},\"x:var2\":${x:var2}}",
        "callbackBodyType":"application/json"
    }',
    '{
        "x:var1":"value1",
        "x:var2":"值2"
    }',
];
