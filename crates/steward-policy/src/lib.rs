//! The privacy policy as code: policy file, validation, compiled decision engine, notice rendering. Pure: no I/O, no clock.
