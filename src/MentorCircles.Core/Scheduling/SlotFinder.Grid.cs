using MentorCircles.Core.Common;

namespace MentorCircles.Core.Scheduling;

public static partial class SlotFinder
{
    /// <summary>
    /// Every candidate start of a request as a UTC instant, and the cells that time is counted in. Cell 0 starts at the
    /// earliest candidate start; the last cell ends when a session from the latest start would end.
    /// </summary>
    private sealed class Grid
    {
        public required long Origin { get; init; }
        public required long End { get; init; }
        public required long Cell { get; init; }
        public required int Cells { get; init; }
        /// <summary>The session length in cells.</summary>
        public required int Length { get; init; }
        public required int Days { get; init; }
        public required int SlotsPerDay { get; init; }
        public required int StepMinutes { get; init; }
        /// <summary>Days between occurrences of one candidate; for Once, the whole window, so each start is its own candidate.</summary>
        public required int Period { get; init; }
        public required int Phases { get; init; }
        public required DateOnly FirstDate { get; init; }
        public required long[] Starts { get; init; }

        public long StartUtc(int day, int slot) => Starts[day * SlotsPerDay + slot];

        public int StartCell(int day, int slot) => (int)((Starts[day * SlotsPerDay + slot] - Origin) / Cell);

        /// <summary>
        /// The start cells [lo, hi) of sessions that lie wholly inside a free interval. Only whole cells count, which is
        /// exact because sessions start and end on cell edges.
        /// </summary>
        public (int Lo, int Hi) StartsWithin(TickRange r)
        {
            var first = (int)((r.Start - Origin + Cell - 1) / Cell);
            var last = (int)((r.End - Origin) / Cell);
            return last - first >= Length ? (first, last - Length + 1) : (0, 0);
        }

        public static Grid Build(SlotRequest request)
        {
            var days = request.ToDate.DayNumber - request.FromDate.DayNumber + 1;
            var slotsPerDay = 24 * 60 / request.StepMinutes;
            var step = request.StepMinutes * TimeSpan.TicksPerMinute;
            var length = request.LengthMinutes * TimeSpan.TicksPerMinute;
            var firstMidnight = request.FromDate.DayNumber * TimeSpan.TicksPerDay;

            // Local readings are within a day of the instants they stand for, and ZoneOffsets adds two more days.
            var home = ZoneOffsets.For(TimeZoneInfo.FindSystemTimeZoneById(request.HomeTimeZoneId),
                firstMidnight - TimeSpan.TicksPerDay, firstMidnight + (days + 1) * TimeSpan.TicksPerDay);
            var starts = new long[days * slotsPerDay];
            for (var d = 0; d < days; d++)
                for (var s = 0; s < slotsPerDay; s++)
                    starts[d * slotsPerDay + s] = home.ToUtc(firstMidnight + d * TimeSpan.TicksPerDay + s * step);

            var origin = starts.Min();
            var end = starts.Max() + length;
            // The largest cell that every start and the length are whole multiples of. Each start is a local reading
            // on the step grid minus one of the zone's offsets, so the step, the length and the differences between
            // offsets are enough: the step and length in a zone that never changes, 15 or 30 minutes across a change.
            var cell = Gcd(step, length);
            var firstOffset = home.Offsets.First();
            foreach (var o in home.Offsets) cell = Gcd(cell, Math.Abs(o - firstOffset));
            if ((end - origin) / cell > MaxCells)
                throw new InvalidInputException("homeTimeZoneId",
                    $"{request.HomeTimeZoneId} has a UTC offset that is not a whole number of minutes on these dates; choose later dates or another zone.");

            var period = request.Cadence switch
            {
                SlotCadence.Weekly => 7,
                SlotCadence.Fortnightly => 14,
                _ => days,
            };
            return new Grid
            {
                Origin = origin,
                End = end,
                Cell = cell,
                Cells = (int)((end - origin) / cell),
                Length = (int)(length / cell),
                Days = days,
                SlotsPerDay = slotsPerDay,
                StepMinutes = request.StepMinutes,
                Period = period,
                Phases = Math.Min(period, days),
                FirstDate = request.FromDate,
                Starts = starts,
            };
        }

        private static long Gcd(long a, long b)
        {
            while (b != 0) (a, b) = (b, a % b);
            return a;
        }
    }
}
