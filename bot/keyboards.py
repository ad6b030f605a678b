"""Inline buttons labelled from the catalogue, for the chat's replies and the notices alike."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.context import CampaignContext


def button(context: CampaignContext, language: str, key: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(context.translator(language, key), callback_data=data)


def keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """The rows that have buttons: an empty row (a button left out) is dropped."""
    return InlineKeyboardMarkup([row for row in rows if row])
