"""The home page (我的工作台): each user's figures from every app. It sits above the
apps (it may import any of them) and no app imports it (docs/adr/0014-layers.md)."""
