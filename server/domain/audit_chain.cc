#include "server/domain/audit_chain.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "server/domain/tokens.h"

namespace lotsen::server {
namespace {

// "cases/12" out of "cases/12/tasks/3"; empty if the text names no case.
std::string CasePrefix(const std::string& text) {
  if (!text.starts_with("cases/")) return "";
  size_t end = 6;
  while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
  if (end == 6) return "";
  return text.substr(0, end);
}

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// Whether a message of type `d` can hold a string anywhere within it.
bool MayHoldStrings(const Descriptor* d, std::set<const Descriptor*>* seen) {
  if (!seen->insert(d).second) return false;  // a cycle adds nothing new
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->type() == FieldDescriptor::TYPE_STRING) return true;
    if (f->type() == FieldDescriptor::TYPE_MESSAGE &&
        MayHoldStrings(f->message_type(), seen)) {
      return true;
    }
  }
  return false;
}

// The fields of `d` worth looking into: its strings, and its messages that
// may hold strings. Worked out once per message type and thread: the walk
// runs on every call, over every message of a list's answer, and asking
// reflection for the set fields of each (copying every string) made
// ListUpcomingHearings about 15% slower.
const std::vector<const FieldDescriptor*>& FieldsToVisit(const Descriptor* d) {
  thread_local std::unordered_map<const Descriptor*,
                                  std::vector<const FieldDescriptor*>>
      plans;
  auto it = plans.find(d);
  if (it != plans.end()) return it->second;
  std::vector<const FieldDescriptor*> fields;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    std::set<const Descriptor*> seen;
    if (f->type() == FieldDescriptor::TYPE_STRING ||
        (f->type() == FieldDescriptor::TYPE_MESSAGE &&
         MayHoldStrings(f->message_type(), &seen))) {
      fields.push_back(f);
    }
  }
  return plans.emplace(d, std::move(fields)).first->second;
}

void Collect(const google::protobuf::Message& m, int depth,
             std::vector<std::string>* out, std::set<std::string>* seen) {
  const auto* refl = m.GetReflection();
  std::string scratch;
  auto add = [&](const std::string& text) {
    std::string c = CasePrefix(text);
    if (!c.empty() && seen->insert(c).second) out->push_back(std::move(c));
  };
  for (const FieldDescriptor* f : FieldsToVisit(m.GetDescriptor())) {
    if (f->type() == FieldDescriptor::TYPE_STRING) {
      if (f->is_repeated()) {
        for (int i = 0; i < refl->FieldSize(m, f); ++i) {
          add(refl->GetRepeatedStringReference(m, f, i, &scratch));
        }
      } else if (refl->HasField(m, f)) {
        add(refl->GetStringReference(m, f, &scratch));
      }
    } else if (depth < 3) {
      if (f->is_repeated()) {
        for (int i = 0; i < refl->FieldSize(m, f); ++i) {
          Collect(refl->GetRepeatedMessage(m, f, i), depth + 1, out, seen);
        }
      } else if (refl->HasField(m, f)) {
        Collect(refl->GetMessage(m, f), depth + 1, out, seen);
      }
    }
  }
}

}  // namespace

std::string AuditHash(const AuditEntry& e) {
  // Unambiguous: every field on its own line, none may contain one.
  std::string text = e.prev_hash + "\n" + std::to_string(e.seq) + "\n" +
                     std::to_string(e.time.time_since_epoch().count()) + "\n" +
                     e.actor + "\n" + std::to_string(e.role) + "\n" + e.method +
                     "\n" + e.cases + "\n" + e.outcome;
  return Sha256Hex(text);
}

std::string CasesIn(const google::protobuf::Message& m,
                    const google::protobuf::Message* also) {
  std::vector<std::string> cases;
  std::set<std::string> seen;
  Collect(m, 0, &cases, &seen);
  if (also != nullptr) Collect(*also, 0, &cases, &seen);
  std::string out;
  for (const auto& c : cases) {
    if (!out.empty()) out += ' ';
    out += c;
  }
  return out;
}

grpc::Status VerifyAudit(Store& store, AuditCheck* out) {
  *out = AuditCheck();
  return store.Read([&](ReadTx& tx) {
    std::string prev(64, '0');
    int64_t expected = 1;
    for (;;) {
      auto page = tx.ListAudit(expected - 1, 5000, 0, "");
      if (page.empty()) return grpc::Status::OK;
      for (const AuditEntry& e : page) {
        std::string problem;
        if (e.seq != expected) {
          problem = "line " + std::to_string(expected) + " is missing";
        } else if (e.prev_hash != prev) {
          problem = "does not follow the line before (deleted or replaced)";
        } else if (AuditHash(e) != e.hash) {
          problem = "was edited: its hash does not match its fields";
        }
        if (!problem.empty()) {
          out->first_broken = expected;
          out->problem = "line " + std::to_string(e.seq) + ": " + problem;
          return grpc::Status::OK;
        }
        prev = e.hash;
        ++expected;
        ++out->checked;
      }
    }
  });
}

}  // namespace lotsen::server
