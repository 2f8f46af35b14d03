// codec.h — Request and Reply as one line of JSON each (the Unix-socket wire format).
//
// Addresses are strings ("10.0.0.1", endpoints "10.0.0.1:80" / "[2001:db8::1]:80"), enums
// are names ("add_service", "masq", "tcp").  A missing field takes the struct's default, so
// hand-written JSON stays short; docs/API.md lists every field.
//
//   std::string line = ctl::encode(Request{.op = Op::GetServices});
//   // {"version":1,"op":"get_services"}
//   std::string err;
//   std::optional<Request> r = ctl::decode_request(line, err);   // nullopt: err says why
//
// The JSON objects of the parts are exposed too: the HTTP API and the config loader speak them.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "ctl/model.h"

namespace ulvs::ctl {

std::string encode(const Request& r);  // one line, no trailing newline
std::string encode(const Reply& r);

std::optional<Request> decode_request(std::string_view line, std::string& error);
std::optional<Reply> decode_reply(std::string_view line, std::string& error);

// The same mapping for parts; from_json throws std::invalid_argument with a clear message.
nlohmann::json to_json(const Request& r);
nlohmann::json to_json(const Reply& r);
nlohmann::json to_json(const ipvs::ServiceKey& k);
nlohmann::json to_json(const ipvs::ServiceConfig& c);
nlohmann::json to_json(const ipvs::DestConfig& d);
Request request_from_json(const nlohmann::json& j);
ipvs::ServiceKey key_from_json(const nlohmann::json& j);
ipvs::ServiceConfig service_from_json(const nlohmann::json& j);
ipvs::DestConfig dest_from_json(const nlohmann::json& j);

// Names used on the wire (also by the HTTP API and metrics labels).
std::string_view op_name(Op op);
std::optional<Op> op_from_name(std::string_view name);
std::string_view fwd_name(ipvs::Fwd f);
std::string protocol_name(uint8_t protocol);  // "tcp", "udp", "sctp", "ip" (0), else the number

}  // namespace ulvs::ctl
