"""Pages of the attendance journal, split by topic: the daily journal and the month grid
(`journal`), the timesheet downloads (`timesheets`), month closing (`closing`), the reasons
list (`reasons`), parents' calendar and notices (`parents`), reports (`reports`)."""
