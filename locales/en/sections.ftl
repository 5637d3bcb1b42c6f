# What each section holds (home screen).
section-seminars-summary = Seminars, round tables and trainings: where, when, who took part and what was agreed.
section-organisations-summary = The institutions you work with, and their contact people.
section-materials-summary = Prevention materials, their language versions, stock and distribution.
section-campaigns-summary = Campaigns and projects: periods, funders, events and materials.
section-reports-summary = Figures for funders: participants trained, events by region, materials distributed.
section-hotline-summary = Calls and messages to the hotline: topics, channels and regions, without callers' names.
section-sync-summary = Exchanging data with the office server when there is a connection.
section-settings-summary = Interface language and data folder.
section-admin-summary = Users, laptops, the audit log and the server (for coordinators and administrators).
