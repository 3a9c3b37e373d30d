"""巡察 (inspection rounds) and 单元制 (standing supervision units): talent pool, team
draws with 回避, rounds and their stages, findings into the rectification loop, 三本账.

No Django import here: :mod:`jiandu.inspections.draw` runs in the pure calculator."""
