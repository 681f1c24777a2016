#!/usr/bin/env bash
# How 0.1.0-schema3.db was made: with the release before Alembic (main at d25ccc8, `meta`
# schema_version 3), every table holding rows. Kept for the record; do not re-run it with a
# newer pointwatch (the point of the file is that an older release wrote it).
set -euo pipefail
work=$(mktemp -d) && cd "$work"
P="pointwatch --db $work/pointwatch.db --config $work/none.toml"
$P demo --as-of 2026-11-26
$P account add amazon2 --kind points
$P account add rakuten2 --profile rakuten-card
$P join amazon-primeday-2022-giftcard --on 2022-07-12 --id gift2 --account points=amazon2
$P import "$OLDPWD/../rakuten_enavi_2026-02.csv" --account rakuten2 --as-of 2026-02-15
$P record amazon2 --date 2022-09-15 --amount 500 --memo "ポイント"
$P inquiry add demo-gift/recipient --channel chat --at "2023-02-10 10:00" --agent Sato \
  --summary "asked where the 500 points are" --promise "within 5 minutes" --promise-by 5m
$P settle demo-gift/recipient --substituted-with coupon --amount 500 --note "a coupon" --as-of 2023-02-12
$P reopen demo-gift/recipient --reason "a coupon is not points" --as-of 2023-02-13
$P settle demo-gift/recipient --substituted-with gift-card --amount 500 --as-of 2023-02-20
$P settle gift2/recipient --write-off --reason "gave up" --as-of 2023-03-01
$P met gift2 recipient-registered=2022-09-20
$P checked demo-rakuten 2027-02 --as-of 2027-02-20
cat > mine.toml <<'TOML'
[[profile]]
id = "my-card"
kind = "card"
closing_day = 15
payment_day = 10
payment_months = 1
holidays = "JP"
holiday_rule = "next-business-day"

[[issuer]]
id = "my-bank"
name = "My Bank"
language = "en"
account_channels = ["chat"]

[[campaign]]
id = "my-cashback"
name = "Cashback 1,000 yen"
issuer = "My Bank"

[[campaign.grant]]
id = "cashback"
amount = 1000
unit = "JPY"
account = "card"
window = "joined+2M"
TOML
$P campaign add mine.toml
$P account add mycard --profile my-card
$P join my-cashback --on 2026-01-05 --account card=mycard
$P remind --as-of 2028-02-13
$P remind --as-of 2028-02-14
$P ack 1 --snooze 3 --as-of 2028-02-14
# One file, small pages: no WAL beside it, about 56 kB.
sqlite3 pointwatch.db "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE; PRAGMA page_size=512; VACUUM;"
cp pointwatch.db "$OLDPWD/0.1.0-schema3.db"
