"""UI text in Japanese and English, and the session's language.

`t(key, **values)` gives the text for the chosen language (`{name}` placeholders filled in);
`field_label(name)` the label of a design field. Design text itself is shown with
`journeymap.model.text_of(value, lang())`.
"""

from __future__ import annotations

import re

import streamlit as st

from journeymap.model import text_of

LANGS = {"ja": "日本語", "en": "English"}
LANG_KEY = "lang"

TEXT: dict[str, tuple[str, str]] = {
    # pages
    "page.home": ("ライブラリ", "Library"),
    "page.design": ("設計", "Design"),
    "page.journey": ("カスタマージャーニー", "Customer journey"),
    "page.plan": ("計画", "Plan"),
    "page.compare": ("実績比較", "Compare"),
    "page.present": ("プレゼン", "Present"),
    "page.transfer": ("エクスポート・インポート", "Export / import"),
    # common
    "open": ("開く", "Open"),
    "duplicate": ("複製", "Duplicate"),
    "delete": ("削除", "Delete"),
    "restore": ("復元", "Restore"),
    "purge": ("完全に削除", "Delete for good"),
    "preview": ("プレビュー", "Preview"),
    "download": ("ダウンロード", "Download"),
    "save": ("保存", "Save"),
    "save_copy": ("コピーとして保存", "Save as a copy"),
    "close": ("閉じる", "Close"),
    "row_n": ("{n}行目", "Row {n}"),
    "edit_refused": (
        "この変更は反映していません（直前の正しい状態を保っています）。次の点を直してください:",
        "This change was not applied (the last valid design is kept). Please fix:",
    ),
    "no_design_open": ("設計が開かれていません。ライブラリで設計を開くか、テンプレートから作成してください。",
                       "No design is open. Open one in the library or create one from a template."),
    "go_library": ("ライブラリへ", "Go to the library"),
    # sidebar
    "sidebar.language": ("言語 / Language", "Language / 言語"),
    "sidebar.open_design": ("開いている設計", "Open design"),
    "sidebar.none_open": ("設計は開かれていません", "No design open"),
    "sidebar.saved": ("保存済み", "Saved"),
    "sidebar.unsaved": ("未保存の変更があります（下書きは自動保存）", "Unsaved changes (draft autosaved)"),
    "sidebar.workspace": ("ワークスペース: {path}", "Workspace: {path}"),
    "compare.date_order_question": (
        "列「{column}」の日付（{examples}）は、日・月のどちらが先か判別できません。どちらで読みますか？",
        "The dates in column '{column}' ({examples}) could be day first or month first. How should they be read?",
    ),
    "compare.date_order": ("日付の順序", "Date order"),
    "compare.date_order.dmy": ("日/月/年（03/04 = 4月3日）", "Day/month/year (03/04 = 3 April)"),
    "compare.date_order.mdy": ("月/日/年（03/04 = 3月4日）", "Month/day/year (03/04 = 4 March)"),
    # sign-in and roles
    "auth.please_sign_in": ("このワークスペースを使うにはサインインしてください。",
                            "Sign in to use this workspace."),
    "auth.sign_in": ("サインイン", "Sign in"),
    "auth.sign_out": ("サインアウト", "Sign out"),
    "auth.signed_in_as": ("{email}（{role}）としてサインイン中", "Signed in as {email} ({role})"),
    "auth.no_access": ("{email} には、このワークスペースの利用権限がありません。オーナーに access.toml への追加を依頼してください。",
                       "{email} has no access to this workspace. Ask an owner to add you to access.toml."),
    "auth.access_file_broken": ("ワークスペースの利用権限ファイル（access.toml）を読めません。オーナーに修正を依頼してください:",
                                "The workspace's access file (access.toml) cannot be read. Ask an owner to fix it:"),
    "auth.read_only": ("閲覧のみ（{role}）: 保存はできません", "Read only ({role}): you cannot save"),
    "access.viewer": ("閲覧者", "viewer"),
    "access.editor": ("編集者", "editor"),
    "access.owner": ("オーナー", "owner"),
    # conflict
    "conflict.title": ("保存できませんでした: 競合", "Not saved: conflict"),
    "conflict.changed": (
        "「{id}」は、あなたが開いた後に別の画面（または別の人）が保存しています。上書きすると相手の変更が失われるため保存を止めました。あなたの変更は下書きとして残っています。",
        "'{id}' was saved elsewhere (another tab or person) after you opened it. Saving would overwrite that change, so nothing was saved. Your edits are kept as a draft.",
    ),
    "conflict.deleted": (
        "「{id}」は、あなたが開いた後に削除されました。あなたの変更は下書きとして残っています。",
        "'{id}' was deleted after you opened it. Your edits are kept as a draft.",
    ),
    "conflict.reload": ("最新版を読み込む（自分の変更は破棄）", "Load the latest (discard my edits)"),
    "conflict.copy": ("自分の変更をコピーとして保存", "Save my edits as a copy"),
    "conflict.resave": ("同じIDで保存し直す", "Save again under the same id"),
    "conflict.diff": ("差分を見る", "Show the difference"),
    "conflict.diff_caption": ("保存されている版 → あなたの版", "Saved version → your version"),
    # notices
    "notice.saved": ("保存しました", "Saved"),
    "notice.draft_restored": (
        "前回保存していなかった変更（{time} の下書き）を復元しました。保存するまでファイルは変わりません。",
        "Restored your unsaved changes (draft of {time}). The file is unchanged until you save.",
    ),
    "notice.duplicated": ("「{id}」として複製しました", "Duplicated as '{id}'"),
    "notice.deleted": ("「{id}」をゴミ箱に移動しました（ゴミ箱から復元できます）", "Moved '{id}' to the trash (restore it from there)"),
    "notice.restored": ("「{id}」を復元しました", "Restored '{id}'"),
    "notice.version_restored": ("版 {n} を現在の版として保存しました", "Saved version {n} as the current version"),
    "notice.plan_applied": ("計画の目標と転換率を設計に反映しました（未保存）", "Applied the plan's targets and rates to the design (unsaved)"),
    "notice.reloaded": ("最新版を読み込みました", "Loaded the latest version"),
    "notice.copied": ("「{id}」として保存しました", "Saved as '{id}'"),
    # library
    "home.intro": (
        "保存した設計を開くか、テンプレートから新しい設計を作成します。",
        "Open a saved design, or create a new one from a template.",
    ),
    "home.saved": ("保存した設計", "Saved designs"),
    "home.no_saved": ("まだ設計がありません。下のテンプレートから作成してください。", "No designs yet: create one from a template below."),
    "home.open_now": ("（編集中）", "(open)"),
    "home.entry_meta": ("ID: {id} · {phases} フェーズ · {stages} ステージ · 更新 {modified}",
                        "id: {id} · {phases} phases · {stages} stages · changed {modified}"),
    "home.trash": ("ゴミ箱（{n}件）", "Trash ({n})"),
    "home.deleted_at": ("{at} に削除", "deleted {at}"),
    "home.templates": ("テンプレートから作成", "New from a template"),
    "home.no_templates": ("テンプレートが見つかりません。", "No templates found."),
    "home.template_meta": ("{segment} · {phases} フェーズ · {stages} ステージ · ファネル {funnel} 段",
                           "{segment} · {phases} phases · {stages} stages · {funnel} funnel stages"),
    "home.new_name": ("設計の名前", "Name of the design"),
    "home.new_id": ("ID（空欄なら自動）", "Id (automatic when empty)"),
    "home.create": ("このテンプレートで作成", "Create from this template"),
    "home.bad_id": ("ID「{id}」は使えません。半角英小文字・数字・ハイフンで指定してください（例: {hint}）。",
                    "The id '{id}' cannot be used: use lowercase letters, digits and '-' (for example {hint})."),
    "home.id_taken": ("ID「{id}」の設計はすでにあります。別のIDにしてください。", "A design with the id '{id}' exists already: choose another id."),
    # design page
    "design.tab.stages": ("ステージ", "Stages"),
    "design.tab.phases": ("フェーズ", "Phases"),
    "design.tab.owners": ("担当", "Owners"),
    "design.tab.kgis": ("KGI", "KGIs"),
    "design.tab.links": ("遷移・失注理由", "Links and drop reasons"),
    "design.tab.meta": ("基本情報", "Basics"),
    "design.tab.history": ("履歴", "History"),
    "design.phase": ("フェーズ", "Phase"),
    "design.stage": ("ステージ", "Stage"),
    "design.stage_detail": ("ステージの詳細", "Stage details"),
    "design.stages_hint": (
        "行を追加・削除できます。IDを変えると参照（KGI・ジャーニー・遷移）も追従します。転換率は直前のファネルステージからの%です。",
        "Add or delete rows. Changing an id updates every reference (KGIs, journey, links). Rates are % from the previous funnel stage.",
    ),
    "design.phases_hint": ("新しいフェーズには空のステージが1つ作られます。", "A new phase starts with one empty stage."),
    "design.move_up": ("上へ移動", "Move up"),
    "design.move_down": ("下へ移動", "Move down"),
    "design.move_to_phase": ("移動先のフェーズ", "Move to phase"),
    "design.move": ("移動", "Move"),
    "design.remove_stage": ("ステージを削除", "Remove stage"),
    "design.kpis": ("KPI", "KPIs"),
    "design.transitions": ("追加の遷移（戻り・再提案など）", "Extra transitions (loops, recovery paths)"),
    "design.transitions_hint": ("通常の順番以外のつながりだけを書きます。", "Only links other than the normal order."),
    "design.drop_reasons": ("失注・中断の理由", "Drop reasons"),
    "design.preview": ("プロセス図", "Process diagram"),
    "design.detail": ("表示", "Detail"),
    "design.other_draft": ("この設計には、別の画面で保存されなかった下書き（{time}）があります。",
                           "This design has an unsaved draft from another session ({time})."),
    "design.use_draft": ("下書きを開く", "Open the draft"),
    "design.drop_draft": ("下書きを捨てる", "Discard the draft"),
    "layout": ("図の配置", "Diagram"),
    "layout.side": ("横に並べる", "Beside"),
    "layout.below": ("下に大きく", "Below, large"),
    "detail.compact": ("簡潔", "Compact"),
    "detail.detailed": ("詳細", "Detailed"),
    # history
    "history.none": ("まだ履歴がありません。", "No history yet."),
    "history.version": ("版", "Version"),
    "history.saved_at": ("保存日時", "Saved at"),
    "history.note": ("メモ", "Note"),
    "history.pick": ("比較・復元する版", "Version to compare or restore"),
    "history.version_n": ("版 {n}", "Version {n}"),
    "history.diff_caption": ("版 {n} → 保存されている現在の版", "Version {n} → the current saved version"),
    "history.same": ("この版は現在の版と同じです。", "This version is the same as the current one."),
    "history.unsaved_warning": ("未保存の変更があります。復元すると破棄されます。", "You have unsaved changes; restoring discards them."),
    "history.restore": ("版 {n} に戻す", "Restore version {n}"),
    # journey
    "journey.phases": ("ジャーニーのフェーズとレーン", "Journey phases and lanes"),
    "journey.hint": ("レーンの各セルには複数の項目を入れられます。", "Each lane cell holds a list of items."),
    "journey.reorder": ("並べ替えるフェーズ", "Phase to move"),
    "journey.emotion_curve": ("感情曲線", "Emotion curve"),
    "journey.no_emotion": ("感情スコア（-2〜2）を入力すると曲線が表示されます。", "Enter emotion scores (-2 to 2) to see the curve."),
    "journey.diagram": ("ジャーニー図", "Journey diagram"),
    # plan
    "plan.what_if": ("もしも（what-if）", "What if"),
    "plan.what_if_hint": ("目標や転換率を変えて試せます。設計には「反映」を押すまで入りません。",
                          "Try other targets and rates; the design changes only when you apply them."),
    "plan.rate_of": ("{stage} の転換率 (%)", "{stage} conversion rate (%)"),
    "plan.apply": ("この数値を設計に反映", "Apply these figures to the design"),
    "plan.unapplied": ("表示中の計画は設計に反映されていません。", "The plan shown is not applied to the design."),
    "plan.total_cost": ("総コスト", "Total cost"),
    "plan.cpa": ("CPA（獲得単価）", "CPA (cost per win)"),
    "plan.top_required": ("必要な{stage}", "{stage} needed"),
    "plan.col.stage": ("ステージ", "Stage"),
    "plan.col.required": ("必要件数", "Required"),
    "plan.col.rate": ("転換率", "Rate"),
    "plan.col.unit_cost": ("単価", "Unit cost"),
    "plan.col.cost": ("コスト", "Cost"),
    "plan.funnel_diagram": ("ファネル図", "Funnel diagram"),
    # present
    "present.exit": ("終了", "Exit"),
    "present.dark": ("ダーク", "Dark"),
    "present.prev": ("前へ（←）", "Previous (←)"),
    "present.next": ("次へ（→）", "Next (→)"),
    "present.overview": ("全体像", "Overview"),
    "present.kgis": ("KGI（最終目標）", "KGIs (end goals)"),
    "present.keys": ("← → キーでステージを移動できます。F11 でブラウザを全画面にできます。",
                     "Use the ← → keys to step through the stages; F11 makes the browser full screen."),
    # compare
    "compare.upload": ("実績ファイル（CRMのエクスポート: CSV・TSV・Excel）", "Actuals file (a CRM export: CSV, TSV, Excel)"),
    "help.actuals": (
        "案件ごとのステージ履歴（案件ID・ステージ・日時）か、ステージごとの件数表。Shift_JIS（CP932）やBOM付きUTF-8も読めます。",
        "Either a stage history per deal (deal id, stage, date) or a table of counts per stage. CP932 and UTF-8 with BOM are read too.",
    ),
    "compare.hint": (
        "CRMから出力した実績ファイルを読み込むと、ステージごとに計画と実績を比較します。",
        "Upload what your CRM exported to compare it with the plan, stage by stage.",
    ),
    "compare.mapping": ("列とステージ名の対応", "Columns and stage names"),
    "compare.columns_found": ("{n} 列 · {rows} 行 · 形式: {shape}", "{n} columns · {rows} rows · shape: {shape}"),
    "compare.shape.events": ("案件ごとのステージ履歴", "stage history per deal"),
    "compare.shape.wide": ("ステージ到達日の列（HubSpot形式）", "date-entered columns (HubSpot style)"),
    "compare.shape.counts": ("ステージごとの件数表", "counts per stage"),
    "compare.shape.unknown": ("不明（下で列を指定してください）", "unknown (choose the columns below)"),
    "compare.none": ("（なし）", "(none)"),
    "compare.matched": ("対応済み: {values}", "Matched: {values}"),
    "compare.unmatched": ("設計のどのステージにも当てはまらないステージ名が {n} 種類あります。対応先を選んでください。",
                          "{n} stage names match no stage of the design: choose where they belong."),
    "compare.choose": ("（未選択）", "(choose)"),
    "compare.lost": ("失注として扱う", "treat as lost"),
    "compare.ignore": ("無視する", "ignore"),
    "compare.value_count": ("「{value}」（{count} 行）", "'{value}' ({count} rows)"),
    "compare.as_of": ("基準日（空欄なら最新の記録日）", "As of (empty: the latest event)"),
    "help.as_of": ("滞留の判定に使う日付", "The date stagnation is judged at"),
    "compare.reading": ("{source} を読み込んでいます…", "Reading {source}…"),
    "compare.deals": ("案件数", "Deals"),
    "compare.period": ("記録期間: {first} 〜 {last}", "Events from {first} to {last}"),
    "compare.of_target": ("（目標比）", "of target"),
    "compare.bottleneck": ("ボトルネック", "Bottleneck"),
    "compare.added": ("目標達成なら最終ステージ +{n}", "+{n} at the final stage if on target"),
    "compare.no_bottleneck": ("なし（全ステージ目標達成）", "none (every stage on target)"),
    "compare.unmatched_left": ("対応先のないステージ名は数えていません: {values}", "Stage names without a match were not counted: {values}"),
    "compare.funnel": ("計画と実績のファネル", "Planned vs actual funnel"),
    "compare.planned": ("計画", "Planned"),
    "compare.actual": ("実績", "Actual"),
    "compare.no_counts": ("比較できる件数がありません。", "No counts to compare."),
    "compare.by_stage": ("ステージ別の差異", "Gaps by stage"),
    "compare.reached": ("到達", "Reached"),
    "compare.entered": ("記録", "Entered"),
    "compare.rate": ("転換率", "Rate"),
    "compare.target_rate": ("目標転換率", "Target rate"),
    "compare.gap": ("差（pt）", "Gap (pts)"),
    "compare.attainment": ("計画達成率", "Attainment"),
    "compare.status": ("状況", "Status"),
    "compare.median_days": ("滞在日数（中央値）", "Days (median)"),
    "compare.p90_days": ("滞在日数（90%）", "Days (p90)"),
    "compare.stagnant": ("滞留", "Stagnant"),
    "compare.stagnation": ("滞留している案件", "Stagnant deals"),
    "compare.no_stagnation": ("目標日数を超えて止まっている案件はありません。", "No open deal has stayed longer than its target days."),
    "compare.stagnant_line": ("**{stage}**: {n} 件（目標 {days} 日超）", "**{stage}**: {n} deals (over {days} days)"),
    "compare.forecast": ("着地見込み", "Forecast"),
    "compare.no_forecast": ("着地見込みには案件ごとの履歴が必要です。", "A forecast needs a stage history per deal."),
    "compare.forecast_wins": ("受注見込み", "Expected wins"),
    "compare.forecast_help": ("受注済み + 進行中の案件 × 実績転換率", "Won so far + open deals × actual rates"),
    "compare.pipeline": ("進行中の案件", "Open pipeline"),
    "compare.forecast_revenue": ("売上見込み", "Expected revenue"),
    "compare.open": ("進行中", "Open"),
    "compare.probability": ("受注確率", "Win probability"),
    "compare.expected": ("見込み件数", "Expected"),
    "compare.report": ("比較レポートをダウンロード（HTML）", "Download the comparison report (HTML)"),
    "status.on_track": ("順調", "on track"),
    "status.at_risk": ("注意", "at risk"),
    "status.off_track": ("要対策", "off track"),
    "role.deal_id": ("案件ID", "Deal id"),
    "role.stage": ("ステージ", "Stage"),
    "role.timestamp": ("日時", "Date"),
    "role.amount": ("金額", "Amount"),
    "role.status": ("状態（進行中・受注・失注）", "Status (open, won, lost)"),
    "role.lost_reason": ("失注理由", "Lost reason"),
    "role.owner": ("担当者", "Owner"),
    "role.channel": ("チャネル", "Channel"),
    "role.segment": ("セグメント", "Segment"),
    "role.next_action_date": ("次回アクション日", "Next action date"),
    "role.count": ("件数", "Count"),
    "role.period": ("期間", "Period"),
    "role.cost": ("コスト", "Cost"),
    # export / import
    "transfer.export": ("エクスポート", "Export"),
    "transfer.open_first": ("エクスポートするには設計を開いてください。", "Open a design to export it."),
    "transfer.export_hint": ("「{name}」を各形式でダウンロードします。", "Download '{name}' in each format."),
    "transfer.diagrams": ("図（SVG・PNG・PDF）", "Diagrams (SVG, PNG, PDF)"),
    "transfer.view": ("図の種類", "View"),
    "transfer.theme": ("テーマ", "Theme"),
    "transfer.no_dot": (
        "図のファイル出力には Graphviz（dot コマンド）が必要です。./dev.sh app が導入します（Debian/Ubuntu: sudo apt-get install graphviz）。",
        "Diagram files need Graphviz (the dot program). ./dev.sh app installs it (Debian/Ubuntu: sudo apt-get install graphviz).",
    ),
    "transfer.import": ("インポート", "Import"),
    "transfer.upload": ("設計ファイル（YAML・JSON・Excel）", "Design file (YAML, JSON, Excel)"),
    "transfer.read_ok": ("「{name}」を読み込みました（{stages} ステージ）。", "Read '{name}' ({stages} stages)."),
    "transfer.save_as": ("保存するID", "Save under the id"),
    "transfer.save_open": ("ワークスペースに保存して開く", "Save to the workspace and open"),
    "format.yaml": ("journeymap の設計ファイル（YAML）", "journeymap design file (YAML)"),
    "format.json": ("journeymap の設計ファイル（JSON）", "journeymap design file (JSON)"),
    "format.bpmn": ("BPMN 2.0（図つき。bpmn.io・Camunda Modeler で開けます）", "BPMN 2.0 XML with diagram (bpmn.io, Camunda Modeler)"),
    "format.mermaid": ("Mermaid のフローチャート（Wiki・GitHub・Notion）", "Mermaid flowchart (wikis, GitHub, Notion)"),
    "format.csv": ("ステージ一覧の CSV（BOM付きUTF-8、Excel でそのまま開けます）", "Stages as CSV (UTF-8 with BOM, opens in Excel)"),
    "format.xlsx": ("Excel ブック（編集してインポートで戻せます）", "Excel workbook (edit it and import it back)"),
    "format.json-schema": ("設計ファイル形式の JSON Schema", "JSON Schema of the design format"),
    "format.salesforce": ("Salesforce の商談フェーズ（StandardValueSet メタデータ）", "Salesforce opportunity stages (StandardValueSet metadata)"),
    "format.hubspot": ("HubSpot の取引パイプライン（API 用 JSON）", "HubSpot deal pipeline (JSON for the API)"),
    "format.dot": ("Graphviz の DOT（図の元データ）", "Graphviz DOT (the diagram's source)"),
    # help texts
    "help.id": ("半角英小文字・数字・ハイフン（例: appointment）", "Lowercase letters, digits and '-' (e.g. appointment)"),
    "help.design_id": ("IDはファイル名です。別のIDにするには「コピーとして保存」を使います。",
                       "The id is the file name; use 'Save as a copy' for another id."),
    "help.funnel": ("件数を数えるステージ（リード → アポ → 商談 → 受注 …）", "A countable stage (lead → appointment → meeting → won …)"),
    "help.target_rate": ("直前のファネルステージからの計画転換率（%）", "Planned conversion from the previous funnel stage (%)"),
    "help.unit_cost": ("このステージ1件あたりのコスト（{currency}）", "Cost per item at this stage ({currency})"),
    "help.fixed_cost": ("期間あたりの固定費（{currency}）", "Fixed cost per period ({currency})"),
    "help.kpi_target": ("率の単位は 0〜1（4% なら 0.04）", "Rates are 0 to 1 (0.04 for 4%)"),
    "help.kgi_stage": ("このKGIを数えるファネルステージ", "The funnel stage this KGI counts at"),
    "help.value_per_item": ("金額KGIで1件あたりの金額（平均単価）", "For a currency KGI: value of one item (average deal)"),
    "help.one_per_line": ("1行に1項目", "One item per line"),
    "help.persona": ("このジャーニーの顧客像", "Who this journey is about"),
    "help.emotion": ("-2（とても不満）〜 2（とても満足）", "-2 (very negative) to 2 (very positive)"),
    "help.journey_stages": ("このフェーズを支えるプロセスのステージ", "Process stages that serve this phase"),
    "help.lane": ("項目を追加・削除できます", "Add or remove items"),
    "help.import": ("読み込んだ設計は検証され、問題があれば行番号つきで表示されます。",
                    "The design is checked; problems are shown with their line."),
    # design fields
    "field.id": ("ID", "Id"),
    "field.name": ("名前", "Name"),
    "field.description": ("説明", "Description"),
    "field.owner": ("担当", "Owner"),
    "field.funnel": ("ファネル", "Funnel"),
    "field.target_rate": ("目標転換率 (%)", "Target rate (%)"),
    "field.target_days": ("目標日数", "Target days"),
    "field.unit_cost": ("単価", "Unit cost"),
    "field.kind": ("種別", "Kind"),
    "field.fixed_cost": ("固定費", "Fixed cost"),
    "field.scope": ("担当範囲", "Scope"),
    "field.unit": ("単位", "Unit"),
    "field.target": ("目標値", "Target"),
    "field.stage": ("集計ステージ", "Counted at"),
    "field.value_per_item": ("1件あたり金額", "Value per item"),
    "field.direction": ("方向", "Direction"),
    "field.from": ("遷移元", "From"),
    "field.to": ("遷移先", "To"),
    "field.label": ("ラベル", "Label"),
    "field.category": ("分類", "Category"),
    "field.stages": ("ステージ", "Stages"),
    "field.recovery_stage": ("復帰ステージ", "Recovery stage"),
    "field.response": ("対応", "Response"),
    "field.prevention": ("予防策", "Prevention"),
    "field.emotion": ("感情", "Emotion"),
    "field.persona": ("ペルソナ", "Persona"),
    "field.customer_actions": ("顧客の行動", "Customer actions"),
    "field.touchpoints": ("接点", "Touchpoints"),
    "field.thoughts": ("思考・感情", "Thoughts"),
    "field.pain_points": ("課題", "Pain points"),
    "field.opportunities": ("機会", "Opportunities"),
    "field.activities": ("活動", "Activities"),
    "field.records": ("記録すべき情報", "Information to record"),
    "field.exit_criteria": ("移行基準", "Exit criteria"),
    "field.aliases": ("CRM上の別名", "Names in CRM exports"),
    "field.kpis": ("KPI", "KPIs"),
    "field.segment": ("セグメント", "Segment"),
    "field.currency": ("通貨", "Currency"),
    "field.period": ("目標の期間", "Target period"),
    "field.journey": ("カスタマージャーニー", "Customer journey"),
    "field.schema_version": ("スキーマ版", "Schema version"),
    # kinds of items (in issue locations)
    "kind.design": ("設計全体", "The design"),
    "kind.phases": ("フェーズ", "Phase"),
    "kind.stages": ("ステージ", "Stage"),
    "kind.owners": ("担当", "Owner"),
    "kind.kpis": ("KPI", "KPI"),
    "kind.kgis": ("KGI", "KGI"),
    "kind.transitions": ("遷移", "Transition"),
    "kind.drop_reasons": ("失注理由", "Drop reason"),
    "kind.customer_actions": ("顧客の行動", "Customer action"),
    "kind.touchpoints": ("接点", "Touchpoint"),
    "kind.thoughts": ("思考", "Thought"),
    "kind.pain_points": ("課題", "Pain point"),
    "kind.opportunities": ("機会", "Opportunity"),
    "kind.activities": ("活動", "Activity"),
    "kind.records": ("記録", "Record"),
    "kind.exit_criteria": ("移行基準", "Exit criterion"),
    "kind.aliases": ("別名", "Alias"),
    # choices
    "unit.count": ("件数", "count"),
    "unit.rate": ("率", "rate"),
    "unit.currency": ("金額", "currency"),
    "unit.days": ("日数", "days"),
    "unit.score": ("スコア", "score"),
    "direction.up": ("高いほど良い", "higher is better"),
    "direction.down": ("低いほど良い", "lower is better"),
    "owner_kind.internal": ("社内", "internal"),
    "owner_kind.agency": ("代行会社", "agency"),
    "owner_kind.partner": ("パートナー", "partner"),
    "category.customer": ("顧客都合", "customer"),
    "category.competitor": ("競合", "competitor"),
    "category.internal": ("自社都合", "internal"),
    "category.external": ("外部環境", "external"),
    "segment.b2b": ("法人（B2B）", "B2B"),
    "segment.b2c": ("個人（B2C）", "B2C"),
    "segment.smb": ("中堅・中小", "SMB"),
    "segment.enterprise": ("大企業", "Enterprise"),
    "segment.other": ("その他", "Other"),
    "period.week": ("週", "week"),
    "period.month": ("月", "month"),
    "period.quarter": ("四半期", "quarter"),
    "period.year": ("年", "year"),
    "view.process": ("プロセス", "Process"),
    "view.journey": ("ジャーニー", "Journey"),
    "view.funnel": ("ファネル", "Funnel"),
    "theme.default": ("標準", "Default"),
    "theme.projector": ("プロジェクター", "Projector"),
    "theme.projector-dark": ("プロジェクター（ダーク）", "Projector (dark)"),
    "theme.print": ("印刷", "Print"),
    "diagram_alt.process": ("設計のプロセス図", "Process diagram of the design"),
    "diagram_alt.journey": ("カスタマージャーニー図", "Customer journey diagram"),
    "diagram_alt.funnel": ("ファネル図", "Funnel diagram"),
}


def lang() -> str:
    """The session's language: 'ja' (default) or 'en'."""
    value = st.session_state.get(LANG_KEY)
    return value if value in LANGS else "ja"


def t(key: str, default: str | None = None, *, language: str | None = None, **values) -> str:
    """The UI text for `key` in the session's language, with `{placeholders}` filled in."""
    pair = TEXT.get(key)
    if pair is None:
        text = default if default is not None else key
    else:
        text = pair[0] if (language or lang()) == "ja" else pair[1]
    return text.format(**values) if values else text


def labels(prefix: str):
    """A format_func for choices: `labels("unit")("count")` is t("unit.count"), in the language of
    now (a widget may call it later, outside the script run, where the session is not at hand)."""
    language = lang()
    return lambda value: t(f"{prefix}.{value}", default=str(value), language=language)


_MARKDOWN = re.compile(r"([\\`*_\[\]<>|~$#]|:(?=[A-Za-z]))")


def md(text) -> str:
    """User text made safe to show where Streamlit reads Markdown: '$100' is not LaTeX, '*' is
    not emphasis, ':red[...]' is not colour, ':smile:' is not an emoji."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def shown(value) -> str:
    """A design text in the session's language, ready for a Markdown element."""
    return md(text_of(value, lang()))


def field_label(name) -> str:
    return t(f"field.{name}", default=str(name))


def money(value, currency: str) -> str:
    """An amount for people: ¥800,000 or USD 1,234."""
    if value is None:
        return "—"
    symbol = {"JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£"}.get(currency)
    digits = 0 if currency == "JPY" or float(value).is_integer() else 2
    amount = f"{value:,.{digits}f}"
    return f"{symbol}{amount}" if symbol else f"{currency} {amount}"
