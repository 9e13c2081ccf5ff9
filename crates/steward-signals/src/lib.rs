//! Privacy signals partners read: Global Privacy Control, IAB US Privacy string, IAB GPP (header, usnat, usca). Pure.
