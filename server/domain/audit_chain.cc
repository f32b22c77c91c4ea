#include "server/domain/audit_chain.h"

#include <date/date.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <algorithm>
#include <limits>
#include <set>
#include <unordered_map>

#include "server/base/names.h"
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

grpc::Status VerifyAudit(Store& store, const CheckpointFile* checkpoints,
                         AuditCheck* out) {
  *out = AuditCheck();
  static const std::vector<Checkpoint> kNone;
  const std::vector<Checkpoint>& cps =
      checkpoints != nullptr ? checkpoints->checkpoints : kNone;
  size_t next_cp = 0;  // the first checkpoint not yet reached
  auto describe = [](const Checkpoint& c) {
    return "checkpoint " + std::to_string(c.n) + " (signed " +
           date::format("%FT%TZ",
                        date::floor<std::chrono::seconds>(scheduler::Instant(
                            std::chrono::microseconds(c.time_us)))) +
           ", line " + std::to_string(c.seq) + ")";
  };
  // Lines from here on are vouched for by no checkpoint that holds.
  auto unvouched_from = [&] {
    return next_cp == 0 ? int64_t{1} : cps[next_cp - 1].seq + 1;
  };
  auto fail = [&](int64_t line, std::string problem) {
    out->first_broken = line;
    out->checked = std::min(out->checked, line - 1);
    out->problem = std::move(problem);
    if (next_cp < cps.size()) {
      out->contradicted = cps[next_cp].n;
      out->problem += "; it contradicts " + describe(cps[next_cp]);
    } else if (!cps.empty() || checkpoints != nullptr) {
      out->problem += "; no checkpoint covers it yet";
    }
  };
  grpc::Status s = store.Read([&](ReadTx& tx) {
    std::string prev(64, '0');
    int64_t expected = 1;
    for (;;) {
      auto page = tx.ListAudit(expected - 1, 5000, 0, "");
      if (page.empty()) break;
      // The index rows of these lines, and of any missing among them.
      const auto index = tx.ListAuditIndex(expected, page.back().seq);
      size_t row = 0;
      for (const AuditEntry& e : page) {
        std::string problem;
        if (e.seq != expected) {
          problem = "line " + std::to_string(expected) + " is missing";
        } else if (e.prev_hash != prev) {
          problem = "line " + std::to_string(e.seq) +
                    " does not follow the line before (deleted or replaced)";
        } else if (AuditHash(e) != e.hash) {
          problem = "line " + std::to_string(e.seq) +
                    " was edited: its hash does not match its fields";
        }
        if (!problem.empty()) {
          fail(expected, problem);
          return grpc::Status::OK;
        }
        // The index must name exactly the cases the line does, or `audit
        // list --case` misleads.
        const std::set<int64_t> named = CaseIdsIn(e.cases);
        std::set<int64_t> indexed;
        for (; row < index.size() && index[row].first == e.seq; ++row) {
          indexed.insert(index[row].second);
        }
        for (int64_t id : named) {
          if (!indexed.contains(id)) {
            fail(e.seq, "line " + std::to_string(e.seq) +
                            ": the index by case lacks cases/" +
                            std::to_string(id) +
                            ", so `audit list --case` "
                            "does not show the line");
            return grpc::Status::OK;
          }
        }
        for (int64_t id : indexed) {
          if (!named.contains(id)) {
            fail(e.seq, "line " + std::to_string(e.seq) +
                            ": the index by case files it under cases/" +
                            std::to_string(id) + ", which it does not name");
            return grpc::Status::OK;
          }
        }
        for (; next_cp < cps.size() && cps[next_cp].seq == e.seq; ++next_cp) {
          if (cps[next_cp].hash != e.hash) {
            const int64_t from = unvouched_from();
            fail(from, "line " + std::to_string(e.seq) +
                           " is not the line the checkpoint signed: a line "
                           "from " +
                           std::to_string(from) + " to " +
                           std::to_string(e.seq) +
                           " was edited, removed or added, and the chain "
                           "computed again");
            return grpc::Status::OK;
          }
          ++out->checkpoints;
          out->last = cps[next_cp];
        }
        prev = e.hash;
        ++expected;
        ++out->checked;
      }
    }
    const int64_t last_line = expected - 1;
    if (next_cp < cps.size()) {
      fail(last_line + 1,
           "line " + std::to_string(last_line + 1) +
               " is missing: the log ends at line " +
               std::to_string(last_line) +
               " (its newest lines were removed, or lines " +
               (unvouched_from() == 1
                    ? std::string("before them")
                    : "after line " + std::to_string(unvouched_from() - 1)) +
               " were and the rest renumbered)");
      return grpc::Status::OK;
    }
    const auto stray =
        tx.ListAuditIndex(last_line + 1, std::numeric_limits<int64_t>::max());
    if (!stray.empty()) {
      fail(stray.front().first, "the index by case names line " +
                                    std::to_string(stray.front().first) +
                                    ", which the log does not have");
      return grpc::Status::OK;
    }
    // A row filed under another group of lines than its own: the walk by
    // line above does not see it, `audit list --case` does.
    if (auto row = tx.MisfiledAuditIndex()) {
      fail(row->first, "line " + std::to_string(row->first) +
                           ": the index by case files it under cases/" +
                           std::to_string(row->second) +
                           " out of its place, where `audit list --case` "
                           "finds it and a look-up by line does not");
    }
    return grpc::Status::OK;
  });
  if (!s.ok() || !out->problem.empty() || checkpoints == nullptr ||
      checkpoints->problem.empty()) {
    return s;
  }
  out->first_broken = unvouched_from();
  out->problem = "the checkpoint file: " + checkpoints->problem +
                 "; the lines after the last checkpoint that holds are "
                 "vouched for by none";
  return s;
}

}  // namespace lotsen::server
