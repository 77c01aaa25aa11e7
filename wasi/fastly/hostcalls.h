// The Fastly Compute hostcalls this program uses, declared from Fastly's published ABI
// (github.com/fastly/compute-at-edge-abi, compute-at-edge.witx + typenames.witx). In the wasm
// core ABI a witx `(list u8)` or `string` is a (pointer, length) pair, an `expected` result is
// an i32 status (0 = ok) with its value written through trailing out-pointers, and handles are
// u32. They are imports of the wasm module, resolved by Fastly's runtime (or Viceroy locally).
#pragma once
#include <cstddef>
#include <cstdint>

#define FLK_FASTLY_IMPORT(module, name) __attribute__((import_module(module), import_name(name)))

namespace flk::fastly {

using Handle = uint32_t;
using Status = int32_t;

constexpr Status kOk = 0;
constexpr Status kBufLen = 4;      // the buffer is too small; *nwritten says how much is needed
constexpr uint32_t kBodyBack = 0;  // body_write_end: append at the end

extern "C" {
FLK_FASTLY_IMPORT("fastly_abi", "init") Status fastly_abi_init(uint64_t abi_version);

FLK_FASTLY_IMPORT("fastly_http_req", "body_downstream_get") Status fastly_req_body_downstream_get(Handle* req, Handle* body);
FLK_FASTLY_IMPORT("fastly_http_req", "method_get")
Status fastly_req_method_get(Handle req, char* buf, size_t buf_len, size_t* nwritten);
FLK_FASTLY_IMPORT("fastly_http_req", "uri_get") Status fastly_req_uri_get(Handle req, char* buf, size_t buf_len, size_t* nwritten);
FLK_FASTLY_IMPORT("fastly_http_req", "header_value_get")
Status fastly_req_header_value_get(Handle req, const char* name, size_t name_len, char* value, size_t value_max_len,
                                   size_t* nwritten);

FLK_FASTLY_IMPORT("fastly_http_body", "new") Status fastly_body_new(Handle* body);
FLK_FASTLY_IMPORT("fastly_http_body", "read") Status fastly_body_read(Handle body, uint8_t* buf, size_t buf_len, size_t* nread);
FLK_FASTLY_IMPORT("fastly_http_body", "write")
Status fastly_body_write(Handle body, const uint8_t* buf, size_t buf_len, uint32_t end, size_t* nwritten);

FLK_FASTLY_IMPORT("fastly_http_resp", "new") Status fastly_resp_new(Handle* resp);
FLK_FASTLY_IMPORT("fastly_http_resp", "status_set") Status fastly_resp_status_set(Handle resp, uint32_t status);
FLK_FASTLY_IMPORT("fastly_http_resp", "header_insert")
Status fastly_resp_header_insert(Handle resp, const char* name, size_t name_len, const char* value, size_t value_len);
FLK_FASTLY_IMPORT("fastly_config_store", "open") Status fastly_config_store_open(const char* name, size_t name_len, Handle* store);
FLK_FASTLY_IMPORT("fastly_config_store", "get")
Status fastly_config_store_get(Handle store, const char* key, size_t key_len, char* value, size_t value_max_len, size_t* nwritten);

FLK_FASTLY_IMPORT("fastly_secret_store", "open") Status fastly_secret_store_open(const char* name, size_t name_len, Handle* store);
FLK_FASTLY_IMPORT("fastly_secret_store", "get") Status fastly_secret_store_get(Handle store, const char* key, size_t key_len, Handle* secret);
FLK_FASTLY_IMPORT("fastly_secret_store", "plaintext")
Status fastly_secret_plaintext(Handle secret, char* value, size_t value_max_len, size_t* nwritten);

FLK_FASTLY_IMPORT("fastly_http_resp", "send_downstream") Status fastly_resp_send_downstream(Handle resp, Handle body, uint32_t streaming);
}

}  // namespace flk::fastly
