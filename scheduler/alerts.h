// Alert planning: which threshold an item has crossed on a given night, and
// when the next nightly run is due. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "scheduler/calendar.h"
#include "scheduler/rules.pb.h"

namespace lotsen::scheduler {

// The day `threshold` is crossed for an item due on `due`: the offset
// counted by Lag 1930:173 without rolling (an alert on a Sunday night is
// still read on Monday morning, never later than it should be).
Day CrossingDay(Day due, const rules::Threshold& threshold);

// The index of the most severe threshold crossed by `as_of` for an item due
// on `due`, or nullopt if none is yet. Missed nights do not matter: only the
// threshold the item stands at now counts.
std::optional<int> CurrentThreshold(Day due, Day as_of,
                                    const rules::AlertPolicy& policy);

// Whether an item due on `due` goes to the coordinator too on `as_of`.
bool Escalates(Day due, Day as_of, bool statutory,
               const rules::AlertPolicy& policy);

// The latest due date an item may have and still have crossed a threshold
// by `as_of`: the sweep looks at open items due up to this day.
Day LatestDueAlerted(Day as_of, const rules::AlertPolicy& policy);

// Whether the nightly run at local hh:mm was missed: the last run was for an
// earlier night than the latest hh:mm at or before `now` (or never ran).
bool SweepMissed(std::optional<Day> last_run, Instant now, int hour,
                 int minute);

// Checks a policy: thresholds named [a-z-]+, unique, with valid offsets in
// increasing order of their crossing days. Empty string if good.
std::string CheckAlertPolicy(const rules::AlertPolicy& policy);

// The next instant after `now` at local Stockholm time hh:mm. On the night
// the clocks go forward a time in the missing hour means the moment they
// jump; in the repeated autumn hour, the first of the two.
Instant NextLocalTime(Instant now, int hour, int minute);
// The most recent such instant at or before `now`.
Instant LastLocalTime(Instant now, int hour, int minute);

}  // namespace lotsen::scheduler
