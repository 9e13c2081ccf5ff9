// An example audience-measurement tag: it records that it ran.
(window.exampleTags = window.exampleTags || []).push({ tag: 'analytics' });
