"""The learned likelihood: features from the customer's own columns and behaviour
(``features``), fitting and calibrating a model on a time-ordered hold-out (``fitting``),
applying the active model to leads wherever they are scored, with explanations that add up
(``applying``), and training runs with champion/challenger promotion (``training``)."""
