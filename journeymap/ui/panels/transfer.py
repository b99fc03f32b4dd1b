"""Helpers of the Export / import page: deferred downloads, diagram files, reading uploads."""

from __future__ import annotations

import shutil

import streamlit as st

from journeymap import render
from journeymap.designfile.reading import parse_design_bytes
from journeymap.errors import InputError
from journeymap.export.crm import account_field_name, hubspot_account_property
from journeymap.export.pipeline import account_stages, preview_rows
from journeymap.model import Design
from journeymap.ui.strings import labels, lang, t


def read_design(content: bytes, filename: str) -> Design:
    """A design from an uploaded YAML, JSON or Excel file; InputError names file and line or cell."""
    return parse_design_bytes(content, filename)


def diagram_downloads(design: Design) -> None:
    """SVG, PNG and PDF of a view, drawn with graphviz `dot` on the server."""
    st.subheader(t("transfer.diagrams"))
    if shutil.which("dot") is None:
        st.warning(t("transfer.no_dot"), icon=":material/warning:")
        return
    views = ["process", "journey", "funnel"]
    themes = ["default", "projector", "projector-dark", "print"]
    view_col, theme_col = st.columns(2)
    view = view_col.selectbox(t("transfer.view"), views, format_func=labels("view"), key="export_view")
    theme = theme_col.selectbox(t("transfer.theme"), themes, format_func=labels("theme"), key="export_theme")
    buttons = st.columns(3)
    for column, fmt, mime in zip(buttons, ("svg", "png", "pdf"), ("image/svg+xml", "image/png", "application/pdf")):
        column.download_button(
            fmt.upper(),
            data=lambda fmt=fmt, language=lang(): render.render(design, fmt=fmt, view=view, theme=theme, lang=language),  # noqa: B008 (the run's language, bound now)
            file_name=f"{design.id}-{view}.{fmt}", mime=mime, key=f"diagram.{fmt}", icon=":material/image:",
            on_click="ignore", width="stretch",
        )


def crm_preview(design: Design) -> None:
    """What Salesforce and HubSpot get for each stage, beside the exact probability it was rounded from
    (for a design that counts accounts: the relationship levels of the account field)."""
    if design.counts == "accounts":
        with st.expander(t("transfer.crm_accounts"), icon=":material/domain:"):
            st.caption(t("transfer.crm_accounts_hint", field=account_field_name(design),
                         name=hubspot_account_property(design, lang())["name"]))
            st.dataframe([{t("crm.stage"): s.label} for s in account_stages(design, lang())],
                         hide_index=True, width="stretch")
        return
    try:
        rows = preview_rows(design, lang())
    except InputError:
        return  # no funnel stages: the CRM downloads say why
    with st.expander(t("transfer.crm_preview"), icon=":material/percent:"):
        st.caption(t("transfer.crm_preview_hint"))
        table = [
            {
                t("crm.stage"): row["stage"] + ("" if row["stage_id"] else t("crm.added")),
                t("crm.state"): t(f"crm.state.{row['outcome'] or 'open'}"),
                t("crm.exact"): f"{row['probability'] * 100:.4g}%",
                # a table cell is plain text, not Markdown: the stage name goes in as it is
                t("crm.source"): t("crm.source.carried", stage=row["carried_from"]) if row["carried_from"]
                else t(f"crm.source.{row['source']}"),
                "Salesforce": f"{row['salesforce']}%",
                "HubSpot": row["hubspot"],
            }
            for row in rows
        ]
        st.dataframe(table, hide_index=True, width="stretch")
