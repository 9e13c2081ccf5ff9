//! The statutory clock: GDPR, CCPA, Nevada and CAN-SPAM deadlines with business days and holiday calendars. Pure.
